import { describe, expect, it } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import type { EngineEvent } from "../contracts/events";
import { RunEventSchema, withSeq } from "../contracts/events";
import { collectRun, compileWorkflow, createDefaultServices, runWorkflow } from "./index";
import { buildWorkflow } from "./testing";

const ofType = <T extends EngineEvent["type"]>(events: EngineEvent[], type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

/** Services whose fetch fails `failures` times with 503, then answers. */
function flaky(failures: number) {
  let calls = 0;
  const services = createDefaultServices({
    models: { env: {} },
    fetch: async () =>
      ++calls <= failures ? new Response("busy", { status: 503 }) : new Response('{"ok":true}', { headers: { "content-type": "application/json" } }),
  });
  return { services, calls: () => calls };
}
const httpNode = (policy?: object) => ["h", "http-request", { url: "https://api.test/x", allowedHosts: ["api.test"] }, policy] as never;

describe("runWorkflow", () => {
  it("yields events that match the wire schema once given a seq", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "input" }] }],
        ["ag", "agent", { role: "Helper" }],
        ["o", "output", { value: "{{ag}}" }],
      ],
      ["start->ag", "ag->o"],
    );
    const { events } = await collectRun(compileWorkflow(doc, createDefaultServices({ models: { env: {} } })), { runId: "wire", input: { input: "hello" } });
    events.forEach((e, i) => expect(() => RunEventSchema.parse(withSeq(e, i))).not.toThrow());
    expect(events[0].type).toBe("run.started");
    expect(events.at(-1)!.type).toBe("run.finished");
    expect(ofType(events, "token").length).toBeGreaterThan(3);
  });

  it("retries with exponential backoff on matching errors", async () => {
    const { services, calls } = flaky(2);
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        httpNode({ retry: { maxAttempts: 4, initialDelayMs: 40, backoffFactor: 2, retryOn: ["HTTP_5"] } }),
        ["o", "output", { value: "{{json h.body}}" }],
      ],
      ["start->h", "h->o"],
    );
    const t = Date.now();
    const { events, outcome } = await collectRun(compileWorkflow(doc, services), { runId: "retry", input: {} });
    expect(outcome.result).toEqual({ ok: true });
    expect(calls()).toBe(3);
    const retries = ofType(events, "node.retrying");
    expect(retries.map((r) => [r.attempt, r.nextAttempt, r.delayMs, r.error.code])).toEqual([
      [1, 2, 40, "HTTP_503"],
      [2, 3, 80, "HTTP_503"],
    ]);
    expect(Date.now() - t).toBeGreaterThanOrEqual(115);
    expect(ofType(events, "node.finished").find((e) => e.nodeId === "h")!.attempt).toBe(3);
  });

  it("does not retry errors outside retryOn, and fails the run with the node's error", async () => {
    const { services, calls } = flaky(5);
    const doc = buildWorkflow(
      [["start", "start", { fields: [] }], httpNode({ retry: { maxAttempts: 3, initialDelayMs: 1, retryOn: ["HTTP_TIMEOUT"] } }), ["o", "output", {}]],
      ["start->h", "h->o"],
    );
    const { events, outcome } = await collectRun(compileWorkflow(doc, services), { runId: "noretry", input: {} });
    expect(calls()).toBe(1);
    expect(outcome).toMatchObject({ status: "failed", error: { code: "HTTP_503", nodeId: "h" } });
    expect(ofType(events, "run.failed")[0]).toMatchObject({ nodeId: "h", error: { code: "HTTP_503" } });
    expect(ofType(events, "node.failed")[0]).toMatchObject({ nodeId: "h", handled: false, attempt: 1 });
  });

  it("times out a slow node", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["d", "delay", { ms: 5000 }, { timeoutMs: 60 }],
        ["o", "output", {}],
      ],
      ["start->d", "d->o"],
    );
    const t = Date.now();
    const { outcome } = await collectRun(compileWorkflow(doc, createDefaultServices()), { runId: "timeout", input: {} });
    expect(outcome.error?.code).toBe("NODE_TIMEOUT");
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it("routes a failure to the compensation branch", async () => {
    const { services } = flaky(99);
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        httpNode({ onError: "route", retry: { maxAttempts: 2, initialDelayMs: 1 } }),
        ["ok", "template", { template: "charged" }],
        ["undo", "template", { template: "refunded after {{error.code}} at {{error.nodeId}}" }],
        ["o", "output", { value: "{{ok}}{{undo}}" }],
      ],
      ["start->h", "h->ok", "h->undo:error", "ok->o", "undo->o"],
    );
    const { events, outcome } = await collectRun(compileWorkflow(doc, services), { runId: "saga", input: {} });
    expect(outcome).toMatchObject({ status: "succeeded", result: "refunded after HTTP_503 at h" });
    expect(ofType(events, "node.failed")[0]).toMatchObject({ nodeId: "h", handled: true, attempt: 2 });
    expect(ofType(events, "node.skipped").map((e) => e.nodeId)).toEqual(["ok"]);
  });

  it("cancels through the AbortSignal, stopping a delay at once", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["d", "delay", { ms: 10_000 }],
        ["o", "output", {}],
      ],
      ["start->d", "d->o"],
    );
    const ac = new AbortController();
    setTimeout(() => ac.abort("user"), 80);
    const t = Date.now();
    const { events, outcome } = await collectRun(compileWorkflow(doc, createDefaultServices()), { runId: "cancel", input: {}, signal: ac.signal });
    expect(outcome.status).toBe("cancelled");
    expect(events.at(-1)).toMatchObject({ type: "run.cancelled", reason: "user" });
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it("fails a run that exceeds its run timeout", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["d", "delay", { ms: 10_000 }],
        ["o", "output", {}],
      ],
      ["start->d", "d->o"],
    );
    const { outcome } = await collectRun(compileWorkflow(doc, createDefaultServices()), { runId: "rto", input: {}, runTimeoutMs: 80 });
    expect(outcome.error?.code).toBe("RUN_TIMEOUT");
  });

  it("pauses for human approval and resumes on approved or rejected with edited values", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "draft" }] }],
        ["ap", "human-approval", { instructions: "Check it", editableFields: ["draft"] }],
        ["send", "template", { template: "sent: {{draft}} ({{ap.comment}})" }],
        ["drop", "template", { template: "dropped" }],
        ["o", "output", { value: "{{send}}{{drop}}" }],
      ],
      ["start->ap", "ap->send:approved", "ap->drop:rejected", "send->o", "drop->o"],
    );
    const compiled = compileWorkflow(doc, createDefaultServices());
    const checkpointer = new MemorySaver();
    const first = await collectRun(compiled, { runId: "ap1", input: { draft: "hi" }, checkpointer });
    expect(first.outcome.status).toBe("waiting");
    const waiting = ofType(first.events, "node.waiting")[0];
    expect(waiting).toMatchObject({ nodeId: "ap", instructions: "Check it", editableFields: ["draft"], values: { draft: "hi" } });
    expect(first.events.some((e) => e.type === "run.finished")).toBe(false);

    const second = await collectRun(compiled, {
      runId: "ap1",
      checkpointer,
      resume: { approved: true, comment: "lgtm", values: { draft: "hello", other: "ignored" } },
    });
    expect(second.outcome).toMatchObject({ status: "succeeded", result: "sent: hello (lgtm)" });
    expect(ofType(second.events, "run.started")[0].resumed).toBe(true);
    expect(ofType(second.events, "node.finished").map((e) => e.nodeId)).toEqual(["ap", "send", "o"]);

    await collectRun(compiled, { runId: "ap2", input: { draft: "x" }, checkpointer });
    const rejected = await collectRun(compiled, { runId: "ap2", checkpointer, resume: { approved: false } });
    expect(rejected.outcome.result).toBe("dropped");
    const nothing = await collectRun(compiled, { runId: "ap2", checkpointer, resume: { approved: true } });
    expect(nothing.outcome.error?.code).toBe("NOTHING_TO_RESUME");
  });

  it("continues a failed run from the failed node without re-running what succeeded", async () => {
    let calls = 0;
    let healthy = false;
    const services = createDefaultServices({
      fetch: async () => {
        calls++;
        return healthy ? new Response("ok") : new Response("down", { status: 500 });
      },
    });
    const doc = buildWorkflow(
      [["start", "start", { fields: [] }], ["a", "template", { template: "A" }], httpNode(), ["o", "output", { value: "{{a}}{{h.body}}" }]],
      ["start->a", "a->h", "h->o"],
    );
    const compiled = compileWorkflow(doc, services);
    const checkpointer = new MemorySaver();
    const failed = await collectRun(compiled, { runId: "rf", input: {}, checkpointer });
    expect(failed.outcome.status).toBe("failed");
    healthy = true;
    const resumed = await collectRun(compiled, { runId: "rf", input: null, checkpointer });
    expect(resumed.outcome).toMatchObject({ status: "succeeded", result: "Aok" });
    expect(ofType(resumed.events, "node.started").map((e) => e.nodeId)).toEqual(["h", "o"]);
    expect(calls).toBe(2);
  });

  it("refuses bad input before starting, and a second run on a busy thread", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "x", type: "number" }] }],
        ["d", "delay", { ms: 150 }],
        ["o", "output", {}],
      ],
      ["start->d", "d->o"],
    );
    const compiled = compileWorkflow(doc, createDefaultServices());
    const bad = await collectRun(compiled, { runId: "bad", input: { x: "nope" } });
    expect(bad.events).toHaveLength(1);
    expect(bad.outcome.error?.code).toBe("INPUT_INVALID");
    const first = collectRun(compiled, { runId: "busy", input: { x: 1 } });
    await new Promise((r) => setTimeout(r, 20));
    await expect(collectRun(compiled, { runId: "busy2", threadId: "busy", input: { x: 1 } })).rejects.toMatchObject({ code: "THREAD_BUSY" });
    expect((await first).outcome.status).toBe("succeeded");
  });

  it("stops the run when the consumer stops reading", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["d", "delay", { ms: 10_000 }],
        ["o", "output", {}],
      ],
      ["start->d", "d->o"],
    );
    const t = Date.now();
    for await (const e of runWorkflow(compileWorkflow(doc, createDefaultServices()), { runId: "brk", input: {} })) {
      if (e.type === "node.started" && e.nodeId === "d") break;
    }
    expect(Date.now() - t).toBeLessThan(2000);
  });
});
