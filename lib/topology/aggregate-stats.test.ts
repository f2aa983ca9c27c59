import { describe, expect, it } from "vitest";
import { aggregateRunStats } from "./aggregate-stats";
import { distribution, percentile } from "./distribution";
import { TopologyError } from "./errors";
import { TopologyStatsSchema, type RunNodeRecordInput } from "./stats";

describe("percentile / distribution (nearest rank)", () => {
  it("p50 and p95 of small samples", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
    expect(percentile([], 50)).toBe(0);
    expect(distribution([300, 100, 200])).toEqual({ p50: 200, p95: 300, mean: 200 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(distribution(hundred)).toEqual({ p50: 50, p95: 95, mean: 50.5 });
  });
});

describe("aggregateRunStats", () => {
  const records: RunNodeRecordInput[] = [
    // Run 1: a fails once, succeeds on retry; b waits for its inputs and queues.
    { runId: "r1", nodeId: "a", attempt: 1, status: "failed", startedAt: 0, finishedAt: 100, tokens: 10, costUsd: 0.01 },
    { runId: "r1", nodeId: "a", attempt: 2, status: "succeeded", startedAt: 200, finishedAt: 500, tokens: 20, costUsd: 0.02, edgesTaken: ["a-b"] },
    { runId: "r1", nodeId: "b", attempt: 1, status: "succeeded", startedAt: 600, finishedAt: 1600, waitedMs: 400, queuedMs: 100, edgesTaken: ["b-c"] },
    // Run 2 (ISO timestamps): a succeeds at once; b runs twice in a loop; a skipped node is ignored.
    { runId: "r2", nodeId: "a", status: "succeeded", startedAt: "2026-01-01T00:00:00.000Z", finishedAt: "2026-01-01T00:00:00.200Z", edgesTaken: ["a-b"] },
    { runId: "r2", nodeId: "b", status: "succeeded", startedAt: "2026-01-01T00:00:00.300Z", finishedAt: "2026-01-01T00:00:00.800Z", edgesTaken: ["b-b"] },
    { runId: "r2", nodeId: "b", status: "succeeded", startedAt: "2026-01-01T00:00:01.000Z", finishedAt: "2026-01-01T00:00:01.500Z", edgesTaken: ["b-c"] },
    { runId: "r2", nodeId: "c", status: "skipped", startedAt: 0, finishedAt: 0 },
  ];

  it("counts runs, executions, attempts, retries and failures per node", () => {
    const s = aggregateRunStats(records);
    expect(s.runs).toBe(2);
    expect(Object.keys(s.nodes)).toEqual(["a", "b"]);
    const a = s.nodes.a;
    expect([a.runs, a.executions, a.attempts, a.retries, a.failures, a.failedExecutions]).toEqual([2, 2, 3, 1, 1, 0]);
    const b = s.nodes.b;
    expect([b.runs, b.executions, b.attempts, b.retries, b.failures]).toEqual([2, 3, 3, 0, 0]);
  });

  it("latency per attempt, busy time per run, waits per execution, tokens and cost", () => {
    const s = aggregateRunStats(records);
    // a: attempts 100, 300, 200 ms → p50 200, p95 300; busy (100 + 300) + 200 over 2 runs = 300.
    expect(s.nodes.a.latencyMs).toEqual({ p50: 200, p95: 300, mean: 200 });
    expect(s.nodes.a.busyMsPerRun).toBe(300);
    expect([s.nodes.a.tokens, s.nodes.a.costUsd]).toEqual([30, 0.03]);
    // b: attempts 1000, 500, 500 → p50 500; busy (1000 + 1000) / 2 = 1000; waits 400, 0, 0.
    expect(s.nodes.b.latencyMs.p50).toBe(500);
    expect(s.nodes.b.busyMsPerRun).toBe(1000);
    expect(s.nodes.b.joinWaitMs).toEqual({ p50: 0, p95: 400, mean: 400 / 3 });
    expect(s.nodes.b.queueWaitMs.p95).toBe(100);
  });

  it("counts edges taken and run durations", () => {
    const s = aggregateRunStats(records);
    expect(s.edges).toEqual({ "a-b": { taken: 2 }, "b-c": { taken: 2 }, "b-b": { taken: 1 } });
    // r1: 0 → 1600; r2: 0 → 1500 ms.
    expect(s.runDurationMs).toEqual({ p50: 1500, p95: 1600, mean: 1550 });
  });

  it("honours a larger run count and matches the schema", () => {
    const s = aggregateRunStats(records, { runs: 5 });
    expect(s.runs).toBe(5);
    expect(TopologyStatsSchema.parse(s)).toEqual(s);
    expect(aggregateRunStats([]).runs).toBe(0);
  });

  it("rejects bad records with a code and the record's position", () => {
    expect(() => aggregateRunStats([{ runId: "r", nodeId: "a", status: "done" as never, startedAt: 0, finishedAt: 1 }])).toThrow(TopologyError);
    expect(() => aggregateRunStats([{ runId: "r", nodeId: "a", status: "succeeded", startedAt: 5, finishedAt: 1 }])).toThrow(
      /record 0 .*finishes before it starts/,
    );
    try {
      aggregateRunStats([records[0], { runId: "r", nodeId: "a", status: "succeeded", startedAt: "yesterday", finishedAt: 1 }]);
    } catch (e) {
      expect((e as TopologyError).code).toBe("TOPOLOGY_RECORD_INVALID");
      expect((e as Error).message).toMatch(/^Run record 1 \(run "r", node "a"\): startedAt/);
    }
  });
});

describe("aggregateRunStats with ids that name Object.prototype members", () => {
  it("keeps them as plain own keys and leaves Object.prototype alone", () => {
    const s = aggregateRunStats([
      { runId: "r", nodeId: "__proto__", status: "succeeded", startedAt: 0, finishedAt: 10, edgesTaken: ["__proto__", "constructor"] },
      { runId: "r", nodeId: "constructor", status: "succeeded", startedAt: 10, finishedAt: 20 },
    ]);
    expect(Object.keys(s.nodes)).toEqual(["__proto__", "constructor"]);
    expect(s.nodes["constructor"].attempts).toBe(1);
    expect(Object.getPrototypeOf(s.nodes)).toBe(Object.prototype);
    expect(s.edges["constructor"]).toEqual({ taken: 1 });
    expect(({} as Record<string, unknown>).taken).toBeUndefined();
    expect((Object as unknown as Record<string, unknown>).taken).toBeUndefined();
  });
});
