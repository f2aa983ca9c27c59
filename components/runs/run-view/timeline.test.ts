import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/contracts/events";
import { buildTimeline } from "./timeline";

let seq = 0;
const ev = (ts: number, e: Record<string, unknown>): RunEvent => ({ runId: "r", seq: seq++, ts, ...e }) as RunEvent;
const st = (ts: number, nodeId: string, extra = {}) => ev(ts, { type: "node.started", nodeId, kind: "t", attempt: 1, ...extra });
const fin = (ts: number, nodeId: string, extra = {}) => ev(ts, { type: "node.finished", nodeId, kind: "t", attempt: 1, durationMs: 1, ...extra });

describe("buildTimeline", () => {
  it("one bar per execution, rows in order of first start, the axis spans the whole run (start to finish events)", () => {
    const t = buildTimeline([
      ev(0, { type: "run.started", workflowName: "w", resumed: false }),
      st(10, "a"),
      fin(20, "a"),
      st(20, "b"),
      fin(50, "b"),
      ev(51, { type: "run.finished", result: 1, durationMs: 51, tokens: { input: 0, output: 0 }, costUsd: 0 }),
    ]);
    expect(t.rows.map((r) => r.nodeId)).toEqual(["a", "b"]);
    expect(t.rows[1].bars[0]).toMatchObject({ start: 20, end: 50, status: "succeeded", lane: 0 });
    expect(t).toMatchObject({ start: 0, end: 51, bars: 2 });
  });

  it("shows retries as separate bars (failed attempt, then the next) and failures with their error", () => {
    const t = buildTimeline([
      st(0, "h"),
      ev(5, { type: "node.retrying", nodeId: "h", kind: "t", attempt: 1, nextAttempt: 2, delayMs: 10, error: { code: "E", message: "down" } }),
      st(15, "h", { attempt: 2 }),
      ev(20, { type: "node.failed", nodeId: "h", kind: "t", attempt: 2, durationMs: 5, error: { code: "E", message: "still down" }, handled: false }),
    ]);
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0].bars.map((b) => [b.attempt, b.status, b.error])).toEqual([
      [1, "retrying", "down"],
      [2, "failed", "still down"],
    ]);
    expect(t.rows[0].lanes).toBe(1);
  });

  it("stacks overlapping map items in lanes and reuses freed lanes", () => {
    const t = buildTimeline([
      st(0, "m", { itemIndex: 0 }),
      st(1, "m", { itemIndex: 1 }),
      st(2, "m", { itemIndex: 2 }),
      fin(10, "m", { itemIndex: 0 }),
      st(11, "m", { itemIndex: 3 }),
      fin(12, "m", { itemIndex: 1 }),
      fin(13, "m", { itemIndex: 2 }),
      fin(14, "m", { itemIndex: 3 }),
    ]);
    const row = t.rows[0];
    expect(row.lanes).toBe(3);
    expect(row.bars.map((b) => [b.itemIndex, b.lane])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 0],
    ]);
  });

  it("leaves executions open while running (to now), closes them as cancelled when the run stops, waits for approvals", () => {
    const running = buildTimeline([st(0, "a")], 100);
    expect(running.rows[0].bars[0]).toMatchObject({ end: null, status: "running" });
    expect(running.end).toBe(100);
    const stopped = buildTimeline(
      [
        st(0, "a"),
        st(1, "ap"),
        ev(2, { type: "node.waiting", nodeId: "ap", kind: "human-approval", instructions: "", editableFields: [], values: {}, timeoutMs: 0 }),
        ev(9, { type: "run.cancelled", durationMs: 9 }),
      ],
      100,
    );
    expect(stopped.rows.map((r) => r.bars[0].status)).toEqual(["cancelled", "waiting"]);
    expect(stopped.end).toBe(9);
    expect(buildTimeline([])).toMatchObject({ rows: [], start: 0, end: 0, bars: 0 });
  });

  it("a resumed run keeps its first start; without run events the span is the executions'", () => {
    const resumed = buildTimeline(
      [
        ev(0, { type: "run.started", workflowName: "w", resumed: false }),
        st(5, "a"),
        ev(9, { type: "node.waiting", nodeId: "a", kind: "t", instructions: "", editableFields: [], values: {}, timeoutMs: 0 }),
        ev(100, { type: "run.started", workflowName: "w", resumed: true }),
        st(101, "b"),
        fin(120, "b"),
      ],
      130,
    );
    expect(resumed).toMatchObject({ start: 0, end: 120 });
    expect(buildTimeline([st(10, "a"), fin(20, "a")], 99)).toMatchObject({ start: 10, end: 20 });
  });

  it("a run continued after its process died: the cut-off execution is closed as interrupted, the re-run is its own bar", () => {
    const t = buildTimeline(
      [
        ev(0, { type: "run.started", workflowName: "w", resumed: false }),
        st(5, "a"),
        fin(15, "a"),
        st(15, "b"),
        ev(40, { type: "run.started", workflowName: "w", resumed: true }),
        st(41, "b"),
        fin(51, "b"),
        ev(52, { type: "run.finished", result: 1, durationMs: 52, tokens: { input: 0, output: 0 }, costUsd: 0 }),
      ],
      500,
    );
    const b = t.rows.find((r) => r.nodeId === "b")!;
    expect(b.bars.map((x) => [x.start, x.end, x.status])).toEqual([
      [15, 40, "interrupted"],
      [41, 51, "succeeded"],
    ]);
    expect(b.lanes).toBe(1);
    expect(t).toMatchObject({ start: 0, end: 52, bars: 3 });
  });

  it("ignores events inside sub-workflows", () => {
    expect(buildTimeline([st(0, "x", { scope: ["sub"] })]).rows).toEqual([]);
  });
});
