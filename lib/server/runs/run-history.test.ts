import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/contracts/events";
import { summarizeRunHistory } from "./run-history";

// Events with just what summarizeRunHistory reads; seq in order.
let seq = 0;
const at = (ts: number, e: Record<string, unknown>) => ({ runId: "r", seq: seq++, ts, ...e }) as unknown as RunEvent;
const started = (ts: number) => at(ts, { type: "run.started", workflowName: "w", resumed: seq > 1 });
const queued = (ts: number) => at(ts, { type: "run.queued", position: 0 });
const node = (ts: number, type: string, extra: Record<string, unknown> = {}) =>
  at(ts, { type, nodeId: "n", kind: "agent", attempt: 1, durationMs: 1, ...extra });

describe("summarizeRunHistory", () => {
  it("a run cut off by a crash has used the time since it started, downtime included", () => {
    const h = summarizeRunHistory([queued(0), started(100), node(150, "node.started"), node(400, "node.finished")], 2_000);
    expect(h.usedMs).toBe(1_900);
  });

  it("time parked at an approval does not count, from the segment's last event to the next start", () => {
    const events = [
      queued(0),
      started(0),
      node(100, "node.waiting", { interruptId: "i", prompt: "ok?" }),
      node(300, "node.finished"),
      queued(5_000),
      started(10_000),
      node(10_200, "node.started"),
    ];
    // Used: 0..300 before parking, then 10,000..11,000 after.
    expect(summarizeRunHistory(events, 11_000).usedMs).toBe(1_300);
    // Continuing an approval right now: parked until now.
    expect(summarizeRunHistory(events.slice(0, 4), 9_000).usedMs).toBe(300);
  });

  it("a resume after a failure or a cancel starts a whole new timeout", () => {
    const events = [
      queued(0),
      started(0),
      node(500, "node.failed"),
      at(600, { type: "run.failed", error: { code: "X", message: "x" }, durationMs: 600 }),
      queued(9_000),
      started(9_100),
    ];
    expect(summarizeRunHistory(events, 9_600).usedMs).toBe(500);
    expect(summarizeRunHistory([...events.slice(0, 4), at(700, { type: "run.cancelled", durationMs: 700 })], 800).usedMs).toBe(0);
  });

  it("sums tokens and cost of every finished node over all segments", () => {
    const h = summarizeRunHistory(
      [
        started(0),
        node(1, "node.finished", { tokens: { input: 10, output: 5 }, costUsd: 0.001 }),
        started(50),
        node(60, "node.finished", { tokens: { input: 1, output: 2 }, costUsd: 0.0000004 }),
        node(70, "node.finished"),
      ],
      100,
    );
    expect(h.tokens).toEqual({ input: 11, output: 7 });
    expect(h.costUsd).toBe(0.001);
  });

  it("cutOff: the top-level nodes the last segment started and never closed (retries stay open; map items and tool calls do not count)", () => {
    const events = [
      queued(0),
      started(0),
      node(10, "node.started", { nodeId: "done" }),
      node(20, "node.finished", { nodeId: "done" }),
      node(30, "node.started", { nodeId: "old" }),
      started(40),
      node(50, "node.started", { nodeId: "a" }),
      node(60, "node.started", { nodeId: "b" }),
      node(70, "node.retrying", { nodeId: "b", attempt: 1 }),
      node(80, "node.started", { nodeId: "b", attempt: 2 }),
      node(90, "node.started", { nodeId: "c" }),
      node(95, "node.waiting", { nodeId: "c", interruptId: "i" }),
      node(96, "node.started", { nodeId: "item", scope: ["map"], itemIndex: 0 }),
      node(97, "node.started", { nodeId: "tool", calledBy: "a" }),
    ];
    expect(summarizeRunHistory(events, 100).cutOff).toEqual([
      { nodeId: "a", kind: "agent", attempt: 1, startedTs: 50 },
      { nodeId: "b", kind: "agent", attempt: 2, startedTs: 80 },
    ]);
    expect(summarizeRunHistory([...events, node(99, "node.finished", { nodeId: "a" }), node(99, "node.failed", { nodeId: "b" })], 100).cutOff).toEqual([]);
  });
});
