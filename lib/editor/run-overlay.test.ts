import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/contracts/events";
import { edgeRunState, edgeRunStates, IDLE_OVERLAY, nodeStatus, reduceRunEvents, TEXT_LIMIT, watchOverlay } from "./run-overlay";

const R = "run_1";
let seq = 0;
const ev = (e: Record<string, unknown>): RunEvent => ({ runId: R, seq: seq++, ts: 1000 + seq, ...e }) as RunEvent;
const reset = () => (seq = 0);
const started = (nodeId: string, attempt = 1, extra = {}) => ev({ type: "node.started", nodeId, kind: "template", attempt, ...extra });
const finished = (nodeId: string, extra = {}) => ev({ type: "node.finished", nodeId, kind: "template", attempt: 1, durationMs: 5, ...extra });

describe("reduceRunEvents", () => {
  it("follows a run: queued → running → per-node statuses with durations → succeeded", () => {
    reset();
    let o = watchOverlay(R);
    expect(o.status).toBe("queued");
    expect(nodeStatus(o, "a")).toBe("queued");
    o = reduceRunEvents(o, [ev({ type: "run.queued" }), ev({ type: "run.started", workflowName: "w", resumed: false }), started("a")]);
    expect(o.status).toBe("running");
    expect(nodeStatus(o, "a")).toBe("running");
    expect(nodeStatus(o, "b")).toBe("queued");
    o = reduceRunEvents(o, [finished("a", { durationMs: 42, port: "out", tokens: { input: 3, output: 4 }, costUsd: 0.01, model: "sim" }), started("b")]);
    expect(o.nodes.get("a")).toMatchObject({
      status: "succeeded",
      durationMs: 42,
      port: "out",
      tokens: { input: 3, output: 4 },
      costUsd: 0.01,
      model: "sim",
      runs: 1,
    });
    o = reduceRunEvents(o, [finished("b"), ev({ type: "run.finished", result: "ok", durationMs: 99, tokens: { input: 3, output: 4 }, costUsd: 0.01 })]);
    expect(o).toMatchObject({
      status: "succeeded",
      result: "ok",
      durationMs: 99,
      lastSeq: 6,
      applied: 7,
      duplicates: 0,
      gaps: 0,
      tokens: { input: 3, output: 4 },
    });
    // Unreached nodes of a finished run show nothing.
    expect(nodeStatus(o, "zzz")).toBeUndefined();
  });

  it("drops seqs it has seen and counts gaps; other runs' events are ignored", () => {
    reset();
    const batch = [ev({ type: "run.queued" }), ev({ type: "run.started", workflowName: "w", resumed: false }), started("a")];
    let o = reduceRunEvents(watchOverlay(R), batch);
    const same = reduceRunEvents(o, batch.slice(1));
    expect(same.duplicates).toBe(2);
    expect(same.nodes).toBe(o.nodes);
    expect(same.applied).toBe(3);
    seq = 10;
    o = reduceRunEvents(o, [finished("a")]);
    expect(o.gaps).toBe(1);
    expect(reduceRunEvents(o, [{ ...finished("b"), runId: "other" }])).toBe(o);
    expect(reduceRunEvents(o, [])).toBe(o);
  });

  it("keeps untouched node entries (and the map when no node changed) by identity", () => {
    reset();
    let o = reduceRunEvents(watchOverlay(R), [started("a"), started("b")]);
    const a = o.nodes.get("a");
    o = reduceRunEvents(o, [finished("b")]);
    expect(o.nodes.get("a")).toBe(a);
    const nodes = o.nodes;
    o = reduceRunEvents(o, [ev({ type: "token", nodeId: "c", kind: "agent", text: "hi", model: "m" })]);
    expect(o.nodes).toBe(nodes);
    expect(o.text.get("c")).toBe("hi");
  });

  it("drops a failed attempt's streamed text when the node retries", () => {
    reset();
    const token = (text: string) => ev({ type: "token", nodeId: "ag", kind: "agent", text, model: "m" });
    let o = reduceRunEvents(watchOverlay(R), [started("ag"), token("half an ans"), token("wer")]);
    expect(o.text.get("ag")).toBe("half an answer");
    o = reduceRunEvents(o, [
      ev({
        type: "node.retrying",
        nodeId: "ag",
        kind: "agent",
        attempt: 1,
        nextAttempt: 2,
        delayMs: 100,
        error: { code: "MODEL_SERVER_ERROR", message: "500" },
      }),
    ]);
    expect(o.text.has("ag")).toBe(false);
    o = reduceRunEvents(o, [started("ag", 2), token("the answer")]);
    expect(o.text.get("ag")).toBe("the answer");
  });

  it("shows retries with the attempt count, failures with their error, handled failures on the error port", () => {
    reset();
    let o = reduceRunEvents(watchOverlay(R), [
      started("h"),
      ev({ type: "node.retrying", nodeId: "h", kind: "http-request", attempt: 1, nextAttempt: 2, delayMs: 500, error: { code: "HTTP_500", message: "down" } }),
    ]);
    expect(o.nodes.get("h")).toMatchObject({ status: "retrying", attempt: 1, nextAttempt: 2, retryDelayMs: 500, error: { code: "HTTP_500" } });
    o = reduceRunEvents(o, [started("h", 2)]);
    expect(o.nodes.get("h")).toMatchObject({ status: "running", attempt: 2, runs: 2, error: undefined });
    o = reduceRunEvents(o, [
      ev({ type: "node.failed", nodeId: "h", kind: "http-request", attempt: 2, durationMs: 7, error: { code: "HTTP_500", message: "down" }, handled: false }),
      ev({ type: "run.failed", error: { code: "HTTP_500", message: "down" }, nodeId: "h", durationMs: 20 }),
    ]);
    expect(o.nodes.get("h")).toMatchObject({ status: "failed", attempt: 2, error: { message: "down" } });
    expect(o).toMatchObject({ status: "failed", error: { code: "HTTP_500", nodeId: "h" } });
    o = reduceRunEvents(o, [
      started("x"),
      ev({ type: "node.failed", nodeId: "x", kind: "t", attempt: 1, durationMs: 1, error: { code: "E", message: "m" }, handled: true }),
    ]);
    expect(o.nodes.get("x")).toMatchObject({ status: "failed", handled: true, port: "error" });
  });

  it("waits for an approval (run and node), then continues after the answer", () => {
    reset();
    let o = reduceRunEvents(watchOverlay(R), [
      ev({ type: "run.started", workflowName: "w", resumed: false }),
      started("ap"),
      ev({
        type: "node.waiting",
        nodeId: "ap",
        kind: "human-approval",
        interruptId: "i1",
        instructions: "Check",
        editableFields: ["draft"],
        values: { draft: "hi" },
        timeoutMs: 0,
      }),
    ]);
    expect(o.status).toBe("waiting");
    expect(o.nodes.get("ap")).toMatchObject({
      status: "waiting",
      active: 0,
      waiting: { instructions: "Check", editableFields: ["draft"], values: { draft: "hi" }, since: expect.any(Number) },
    });
    expect(nodeStatus(o, "later")).toBe("queued");
    o = reduceRunEvents(o, [
      ev({ type: "run.queued" }),
      ev({ type: "run.started", workflowName: "w", resumed: true }),
      started("ap"),
      finished("ap", { port: "approved" }),
    ]);
    expect(o.status).toBe("running");
    expect(o.nodes.get("ap")).toMatchObject({ status: "succeeded", port: "approved", waiting: undefined });
  });

  it("counts parallel map items: running while any item runs, skipped only if never started", () => {
    reset();
    let o = reduceRunEvents(watchOverlay(R), [started("t", 1, { itemIndex: 0 }), started("t", 1, { itemIndex: 1 }), finished("t", { itemIndex: 0 })]);
    expect(o.nodes.get("t")).toMatchObject({ status: "running", runs: 2, active: 1 });
    o = reduceRunEvents(o, [
      finished("t", { itemIndex: 1 }),
      ev({ type: "node.skipped", nodeId: "t", kind: "template", reason: "branch not taken" }),
      ev({ type: "node.skipped", nodeId: "s", kind: "template", reason: "branch not taken" }),
    ]);
    expect(o.nodes.get("t")).toMatchObject({ status: "succeeded", runs: 2, active: 0 });
    expect(o.nodes.get("s")).toMatchObject({ status: "skipped", skipReason: "branch not taken" });
    // Events inside sub-workflows do not touch the outer nodes of the same id; their tokens go to the sub-workflow node.
    o = reduceRunEvents(o, [
      started("inner", 1, { scope: ["sub"] }),
      ev({ type: "token", nodeId: "inner", scope: ["sub"], kind: "agent", text: "x", model: "m" }),
    ]);
    expect(o.nodes.has("inner")).toBe(false);
    expect(o.text.get("sub")).toBe("x");
  });

  it("a run resumed after its process died: the cut-off execution is forgotten, the re-run finishes the node once", () => {
    reset();
    // The worker is killed inside "b"; another worker continues from the checkpoint after "a".
    let o = reduceRunEvents(watchOverlay(R), [ev({ type: "run.started", workflowName: "w", resumed: false }), started("a"), finished("a"), started("b")]);
    expect(nodeStatus(o, "b")).toBe("running");
    o = reduceRunEvents(o, [ev({ type: "run.started", workflowName: "w", resumed: true })]);
    expect(nodeStatus(o, "b")).toBe("queued");
    expect(o.nodes.get("a")).toMatchObject({ status: "succeeded", runs: 1 });
    o = reduceRunEvents(o, [started("b"), finished("b"), ev({ type: "run.finished", durationMs: 9, result: 1, tokens: { input: 0, output: 0 }, costUsd: 0 })]);
    expect(o.status).toBe("succeeded");
    expect(o.nodes.get("b")).toMatchObject({ status: "succeeded", runs: 1, active: 0 });
    // The same events in one batch (a page opened after the fact replays them all at once).
    reset();
    const all = reduceRunEvents(watchOverlay(R), [
      ev({ type: "run.started", workflowName: "w", resumed: false }),
      started("a"),
      finished("a"),
      started("b"),
      ev({ type: "run.started", workflowName: "w", resumed: true }),
      started("b"),
      finished("b"),
    ]);
    expect(all.nodes.get("b")).toMatchObject({ status: "succeeded", runs: 1, active: 0 });
    // Map items: finished items stay counted, the cut-off one is dropped and runs again.
    reset();
    let m = reduceRunEvents(watchOverlay(R), [started("t", 1, { itemIndex: 0 }), started("t", 1, { itemIndex: 1 }), finished("t", { itemIndex: 0 })]);
    m = reduceRunEvents(m, [ev({ type: "run.started", workflowName: "w", resumed: true }), started("t", 1, { itemIndex: 1 }), finished("t", { itemIndex: 1 })]);
    expect(m.nodes.get("t")).toMatchObject({ status: "succeeded", runs: 2, active: 0 });
  });

  it("marks nodes cut off by a cancel; keeps the state each node wrote; caps streamed text", () => {
    reset();
    let o = reduceRunEvents(watchOverlay(R), [started("d"), ev({ type: "state.update", nodeId: "c", values: { c: 1 } })]);
    o = reduceRunEvents(o, [ev({ type: "run.cancelled", durationMs: 5, reason: "stop" })]);
    expect(o.status).toBe("cancelled");
    expect(o.nodes.get("d")).toMatchObject({ status: "failed", error: { code: "RUN_CANCELLED", message: "stop" } });
    expect(o.nodes.get("c")?.output).toEqual({ c: 1 });
    const big = "x".repeat(TEXT_LIMIT);
    o = reduceRunEvents(o, [
      ev({ type: "token", nodeId: "a", kind: "agent", text: big, model: "m" }),
      ev({ type: "token", nodeId: "a", kind: "agent", text: "END", model: "m" }),
    ]);
    expect(o.text.get("a")!.length).toBe(TEXT_LIMIT);
    expect(o.text.get("a")!.endsWith("END")).toBe(true);
  });

  it("the idle overlay stays idle and adopts the run id of a first event", () => {
    reset();
    expect(nodeStatus(IDLE_OVERLAY, "a")).toBeUndefined();
    const o = reduceRunEvents(IDLE_OVERLAY, [started("a")]);
    expect(o.runId).toBe(R);
    expect(IDLE_OVERLAY.nodes.size).toBe(0);
  });
});

describe("edgeRunState", () => {
  it("marks the taken path: active while the target runs, taken after; not the branch a router did not take", () => {
    reset();
    let o = reduceRunEvents(watchOverlay(R), [
      started("r"),
      finished("r", { port: "yes" }),
      started("y"),
      ev({ type: "node.skipped", nodeId: "n", kind: "t", reason: "not taken" }),
    ]);
    expect(edgeRunState(o, { source: "r", target: "y", sourceHandle: "yes" })).toBe("active");
    expect(edgeRunState(o, { source: "r", target: "n", sourceHandle: "no" })).toBeUndefined();
    expect(edgeRunState(o, { source: "y", target: "z" })).toBeUndefined();
    o = reduceRunEvents(o, [finished("y"), started("z")]);
    const states = edgeRunStates(o, [
      { id: "e1", source: "r", target: "y", sourceHandle: "yes" },
      { id: "e2", source: "r", target: "n", sourceHandle: "no" },
      { id: "e3", source: "y", target: "z" },
    ]);
    expect([...states]).toEqual([
      ["e1", "taken"],
      ["e3", "active"],
    ]);
    expect(edgeRunStates(IDLE_OVERLAY, [{ id: "e1", source: "r", target: "y" }]).size).toBe(0);
  });

  it("marks a node pinned while its last execution used the pinned output", () => {
    reset();
    let o = watchOverlay(R);
    o = reduceRunEvents(o, [ev({ type: "run.queued" }), started("a", 1, { pinned: true }), finished("a", { pinned: true }), started("b"), finished("b")]);
    expect(o.nodes.get("a")?.pinned).toBe(true);
    expect(o.nodes.get("b")?.pinned).toBeUndefined();
    o = reduceRunEvents(o, [started("a")]);
    expect(o.nodes.get("a")?.pinned).toBeUndefined();
  });
});
