import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/contracts/events";
import { concurrencySeries } from "./concurrency-series";

const ev = (seq: number, ts: number, concurrency: number, reason: string, extra: Record<string, unknown> = {}) =>
  ({
    type: "node.concurrency",
    runId: "r",
    seq,
    ts,
    nodeId: "m",
    kind: "parallel-map",
    concurrency,
    previous: 0,
    reason,
    min: 2,
    max: 8,
    completed: seq,
    ...extra,
  }) as RunEvent;

describe("concurrencySeries", () => {
  it("turns a map's node.concurrency events into steps over time with a summary", () => {
    const events: RunEvent[] = [
      ev(0, 1000, 2, "start"),
      { type: "node.started", runId: "r", seq: 1, ts: 1001, nodeId: "m", kind: "parallel-map", attempt: 1 },
      ev(2, 1500, 3, "increase"),
      ev(3, 2250, 4, "increase"),
      ev(4, 3000, 2, "decrease-latency"),
      ev(5, 3100, 5, "increase", { nodeId: "other" }),
      ev(6, 3200, 7, "increase", { itemIndex: 3 }),
    ];
    const s = concurrencySeries(events, "m")!;
    expect(s.points.map((p) => [p.t, p.concurrency])).toEqual([
      [0, 2],
      [0.5, 3],
      [1.25, 4],
      [2, 2],
    ]);
    expect(s).toMatchObject({ min: 2, max: 8, peak: 4, low: 2, increases: 2, decreases: 1 });
  });

  it("is null for a node without concurrency events (fixed mode)", () => {
    expect(concurrencySeries([], "m")).toBeNull();
  });
});
