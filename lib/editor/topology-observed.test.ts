import { describe, expect, it } from "vitest";
import { aggregateRunStats, analyzeTopology, TopologyStatsSchema, type TopologyStats } from "@/lib/topology";
import type { RunEvent } from "@/lib/contracts/events";
import type { WorkflowDocument } from "@/lib/workflow";
import { createLiveRecorder, mergeStats, statsFromReport, statsFromTopologyResponse } from "./topology-observed";

const doc = {
  schemaVersion: 1,
  name: "w",
  description: "",
  nodes: [
    { id: "s", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    { id: "a", kind: "agent", label: "Agent", position: { x: 0, y: 0 }, config: {} },
    { id: "o", kind: "output", label: "Out", position: { x: 0, y: 0 }, config: {} },
  ],
  edges: [
    { id: "e1", source: "s", target: "a" },
    { id: "e2", source: "a", target: "o" },
  ],
  notes: [],
  settings: {},
} as unknown as WorkflowDocument;

const ev = (e: Partial<RunEvent> & { type: RunEvent["type"] }, seq = 0) => ({ runId: "r1", seq, ts: 0, ...e }) as RunEvent;
const node = (type: "node.started" | "node.finished" | "node.failed" | "node.retrying", nodeId: string, ts: number, extra: Record<string, unknown> = {}) =>
  ev({ type, nodeId, kind: "agent", ts, attempt: 1, durationMs: 0, ...extra });

describe("createLiveRecorder", () => {
  it("turns node events into per-attempt records, retries and failures included", () => {
    const rec = createLiveRecorder(() => doc);
    expect(
      rec.push([
        ev({ type: "run.started", ts: 0 } as never),
        node("node.started", "s", 0),
        node("node.finished", "s", 10, { durationMs: 10 }),
        node("node.started", "a", 10),
        node("node.retrying", "a", 30, { nextAttempt: 2, delayMs: 0, error: { code: "X", message: "x" } }),
        node("node.started", "a", 30, { attempt: 2 }),
        node("node.finished", "a", 90, { attempt: 2, durationMs: 60, tokens: { input: 5, output: 7 }, costUsd: 0.01 }),
      ]),
    ).toBe(true);
    const records = rec.records();
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({ nodeId: "s", status: "succeeded", startedAt: 0, finishedAt: 10, edgesTaken: ["e1"] });
    expect(records[1]).toMatchObject({ nodeId: "a", attempt: 1, status: "failed", startedAt: 10, finishedAt: 30, edgesTaken: [] });
    expect(records[2]).toMatchObject({
      nodeId: "a",
      attempt: 2,
      status: "succeeded",
      startedAt: 30,
      finishedAt: 90,
      tokens: 12,
      costUsd: 0.01,
      edgesTaken: ["e2"],
    });
    expect(rec.activeRuns()).toEqual(["r1"]);

    const stats = aggregateRunStats(records);
    expect(stats.nodes.a).toMatchObject({ attempts: 2, executions: 1, retries: 1, failures: 1, failedExecutions: 0 });
    expect(stats.edges.e2.taken).toBe(1);

    rec.push([ev({ type: "run.finished", ts: 95 } as never)]);
    expect(rec.activeRuns()).toEqual([]);
    expect(rec.finishedRuns()).toEqual(["r1"]);
    rec.drop(["r1"]);
    expect(rec.records()).toEqual([]);
  });

  it("ignores events inside sub-workflows and events that carry no attempt end", () => {
    const rec = createLiveRecorder(() => doc);
    expect(
      rec.push([node("node.finished", "inner", 5, { scope: ["sub"] }), ev({ type: "token", nodeId: "a", kind: "agent", text: "x", model: "m" } as never)]),
    ).toBe(false);
    expect(rec.records()).toEqual([]);
  });

  it("keeps at most maxRuns runs", () => {
    const rec = createLiveRecorder(() => doc, 2);
    for (const r of ["r1", "r2", "r3"]) rec.push([{ ...node("node.finished", "s", 1), runId: r }]);
    expect(new Set(rec.records().map((x) => x.runId))).toEqual(new Set(["r2", "r3"]));
  });
});

describe("mergeStats", () => {
  const a = TopologyStatsSchema.parse({
    runs: 3,
    nodes: { a: { runs: 3, executions: 3, attempts: 3, latencyMs: { p50: 100, p95: 200, mean: 120 }, busyMsPerRun: 120, tokens: 30 } },
    edges: { e2: { taken: 3 } },
  });
  const b = TopologyStatsSchema.parse({
    runs: 1,
    nodes: {
      a: { runs: 1, executions: 1, attempts: 1, latencyMs: { p50: 500, p95: 500, mean: 500 }, busyMsPerRun: 500, tokens: 10 },
      o: { runs: 1, executions: 1, attempts: 1 },
    },
    edges: { e2: { taken: 1 } },
  });

  it("adds counts and weights means by their counts", () => {
    const m = mergeStats(a, b)!;
    expect(m.runs).toBe(4);
    expect(m.nodes.a).toMatchObject({ runs: 4, executions: 4, attempts: 4, tokens: 40, busyMsPerRun: 215 });
    expect(m.nodes.a.latencyMs.mean).toBe(215);
    expect(m.nodes.o.runs).toBe(1);
    expect(m.edges.e2.taken).toBe(4);
  });

  it("either side alone", () => {
    expect(mergeStats(null, null)).toBeNull();
    expect(mergeStats(a, null)).toBe(a);
    expect(mergeStats(null, b)).toBe(b);
    expect(mergeStats(TopologyStatsSchema.parse({ runs: 0 }), b)).toBe(b);
  });
});

describe("statsFromTopologyResponse", () => {
  const stats: TopologyStats = TopologyStatsSchema.parse({
    runs: 4,
    nodes: {
      a: {
        runs: 4,
        executions: 4,
        attempts: 5,
        retries: 1,
        failures: 1,
        latencyMs: { p50: 1000, p95: 4000, mean: 1500 },
        busyMsPerRun: 1500,
        tokens: 40,
        costUsd: 0.4,
      },
    },
    edges: { e2: { taken: 4 } },
  });

  it("prefers the stats the endpoint sends", () => {
    expect(statsFromTopologyResponse({ stats, report: {} })).toEqual(stats);
    expect(statsFromTopologyResponse({ stats: { runs: 0 } })).toBeNull();
  });

  it("rebuilds stats from a report that analyses back to the same observed figures", () => {
    const report = analyzeTopology(doc, stats);
    for (const json of [report, { report }]) {
      const rebuilt = statsFromTopologyResponse(json)!;
      expect(rebuilt.runs).toBe(4);
      expect(rebuilt.nodes.a).toMatchObject({ runs: 4, executions: 4, attempts: 5, failures: 1, busyMsPerRun: 1500, tokens: 40 });
      expect(rebuilt.edges.e2.taken).toBe(4);
      const again = analyzeTopology(doc, rebuilt);
      expect(again.nodes.find((n) => n.id === "a")!.metrics.observed).toEqual(report.nodes.find((n) => n.id === "a")!.metrics.observed);
    }
    expect(statsFromReport(analyzeTopology(doc))).toBeNull();
  });

  it("anything else is no stats (404 bodies, errors)", () => {
    expect(statsFromTopologyResponse(null)).toBeNull();
    expect(statsFromTopologyResponse({ error: { code: "NOT_FOUND" } })).toBeNull();
  });
});
