/**
 * Observed figures for the topology overlay, pure:
 * - `statsFromTopologyResponse`: what `GET /api/workflows/:id/topology` sent → `TopologyStats`
 *   (its `stats` when present, else rebuilt from the report's per-node observed metrics);
 * - `createLiveRecorder`: RunEvents of live runs → per-attempt `RunNodeRecord`s (aggregated with
 *   `aggregateRunStats`);
 * - `mergeStats`: server figures + live figures (counts add; means weighted; percentiles are a
 *   weighted approximation until the server's figures are fetched again after the run).
 */
import type { RunEvent } from "@/lib/contracts/events";
import { getOutputPorts, type WorkflowDocument } from "@/lib/workflow";
import { TopologyReportSchema, type TopologyReport } from "@/lib/topology/report";
import { TopologyStatsSchema, ownEntry, type Distribution, type NodeStats, type RunNodeRecordInput, type TopologyStats } from "@/lib/topology/stats";

/**
 * Observed stats from the topology endpoint's JSON: `{ stats }` (preferred), or a report (bare or as
 * `{ report }`) whose per-node `observed` metrics are turned back into stats. Null when it holds no runs.
 */
export function statsFromTopologyResponse(json: unknown): TopologyStats | null {
  if (!json || typeof json !== "object") return null;
  const o = json as Record<string, unknown>;
  const stats = TopologyStatsSchema.safeParse(o.stats);
  if (stats.success) return stats.data.runs > 0 ? stats.data : null;
  const report = TopologyReportSchema.safeParse(o.report ?? json);
  if (report.success) return statsFromReport(report.data);
  return null;
}

/** Rebuilds aggregated stats from a report's observed metrics (the inverse of the report's per-run figures, to rounding). */
export function statsFromReport(report: TopologyReport): TopologyStats | null {
  const runs = report.summary.runs;
  if (runs <= 0) return null;
  const nodes: Record<string, NodeStats> = {};
  for (const n of report.nodes) {
    const o = n.metrics.observed;
    if (!o || o.runs <= 0) continue;
    const executions = Math.max(o.runs, Math.round(o.executionsPerRun * o.runs));
    const attempts = Math.round(executions * (1 + o.retriesPerExecution));
    const busy = n.metrics.weightBasis === "observed" ? Math.max(0, n.metrics.weightMs - o.queueWaitMs * o.executionsPerRun) : o.p50Ms * o.executionsPerRun;
    nodes[n.id] = {
      runs: o.runs,
      executions,
      attempts,
      retries: attempts - executions,
      failures: Math.round(o.failureRate * attempts),
      failedExecutions: Math.round(o.failedExecutionRate * executions),
      latencyMs: { p50: o.p50Ms, p95: o.p95Ms, mean: o.p50Ms },
      busyMsPerRun: busy,
      joinWaitMs: { p50: o.joinWaitMs, p95: o.joinWaitMs, mean: o.joinWaitMs },
      queueWaitMs: { p50: o.queueWaitMs, p95: o.queueWaitMs, mean: o.queueWaitMs },
      tokens: o.tokensPerRun * o.runs,
      costUsd: o.costUsdPerRun * o.runs,
    };
  }
  const edges: TopologyStats["edges"] = {};
  for (const e of report.edges) if (e.metrics.taken !== null) edges[e.id] = { taken: e.metrics.taken };
  return { runs, nodes, edges, runDurationMs: { p50: 0, p95: 0, mean: 0 } };
}

const wavg = (a: number, wa: number, b: number, wb: number) => (wa + wb > 0 ? (a * wa + b * wb) / (wa + wb) : 0);
const mergeDist = (a: Distribution, wa: number, b: Distribution, wb: number): Distribution => ({
  p50: wavg(a.p50, wa, b.p50, wb),
  p95: Math.max(wavg(a.p95, wa, b.p95, wb), wb > 0 && wa === 0 ? b.p95 : 0),
  mean: wavg(a.mean, wa, b.mean, wb),
});

/** Server stats plus live stats of runs the server has not aggregated yet. Either may be null. */
export function mergeStats(server: TopologyStats | null, live: TopologyStats | null): TopologyStats | null {
  if (!server || server.runs === 0) return live && live.runs > 0 ? live : null;
  if (!live || live.runs === 0) return server;
  const nodes: Record<string, NodeStats> = {};
  const ids = new Set([...Object.keys(server.nodes), ...Object.keys(live.nodes)]);
  for (const id of ids) {
    const a = ownEntry(server.nodes, id);
    const b = ownEntry(live.nodes, id);
    if (!a || !b) {
      nodes[id] = (a ?? b)!;
      continue;
    }
    nodes[id] = {
      runs: a.runs + b.runs,
      executions: a.executions + b.executions,
      attempts: a.attempts + b.attempts,
      retries: a.retries + b.retries,
      failures: a.failures + b.failures,
      failedExecutions: a.failedExecutions + b.failedExecutions,
      latencyMs: mergeDist(a.latencyMs, a.attempts, b.latencyMs, b.attempts),
      busyMsPerRun: wavg(a.busyMsPerRun, a.runs, b.busyMsPerRun, b.runs),
      joinWaitMs: mergeDist(a.joinWaitMs, a.executions, b.joinWaitMs, b.executions),
      queueWaitMs: mergeDist(a.queueWaitMs, a.executions, b.queueWaitMs, b.executions),
      tokens: a.tokens + b.tokens,
      costUsd: a.costUsd + b.costUsd,
    };
  }
  const edges: TopologyStats["edges"] = {};
  for (const id of new Set([...Object.keys(server.edges), ...Object.keys(live.edges)])) {
    edges[id] = { taken: (ownEntry(server.edges, id)?.taken ?? 0) + (ownEntry(live.edges, id)?.taken ?? 0) };
  }
  return { runs: server.runs + live.runs, nodes, edges, runDurationMs: mergeDist(server.runDurationMs, server.runs, live.runDurationMs, live.runs) };
}

/** Node events of this document's own nodes (not those inside a sub-workflow). */
type NodeEvent = Extract<RunEvent, { nodeId: string; kind: string }>;

export interface LiveRecorder {
  /** Feeds events (any runs, in seq order per run). Returns true when records or run states changed. */
  push(events: readonly RunEvent[]): boolean;
  /** Records of every run seen (oldest runs dropped beyond `maxRuns`). */
  records(): RunNodeRecordInput[];
  /** Ids of runs seen that have not finished yet. */
  activeRuns(): string[];
  /** Ids of runs seen that finished (or failed, or were cancelled). */
  finishedRuns(): string[];
  /** Forgets these runs (their figures are now in the server's stats). */
  drop(runIds: Iterable<string>): void;
}

/**
 * Turns live RunEvents into per-attempt records: an attempt starts at `node.started` and ends at
 * `node.finished` (succeeded), `node.retrying` (that attempt failed) or `node.failed`. Edges taken
 * are the node's outgoing edges on the port it finished on. `doc` is read when an attempt ends.
 */
export function createLiveRecorder(doc: () => WorkflowDocument, maxRuns = 20): LiveRecorder {
  interface RunState {
    records: RunNodeRecordInput[];
    open: Map<string, number>;
    finished: boolean;
  }
  const runs = new Map<string, RunState>();
  const run = (id: string) => {
    let r = runs.get(id);
    if (!r) {
      r = { records: [], open: new Map(), finished: false };
      runs.set(id, r);
      while (runs.size > maxRuns) runs.delete(runs.keys().next().value!);
    }
    return r;
  };
  const attemptKey = (e: NodeEvent & { attempt: number }) => `${e.nodeId}\u0000${e.itemIndex ?? ""}\u0000${e.attempt}`;

  const edgesOn = (nodeId: string, port: string | undefined): string[] => {
    const d = doc();
    const node = d.nodes.find((n) => n.id === nodeId);
    if (!node) return [];
    const first = getOutputPorts(node.kind, node.config, node.policy).find((p) => p.type !== "tools")?.id;
    const wanted = port ?? first;
    return d.edges.filter((e) => e.source === nodeId && (e.sourceHandle ?? first) === wanted).map((e) => e.id);
  };

  return {
    push(events) {
      let changed = false;
      for (const e of events) {
        if (e.type === "run.started") {
          run(e.runId).finished = false;
          changed = true;
          continue;
        }
        if (e.type === "run.finished" || e.type === "run.failed" || e.type === "run.cancelled") {
          run(e.runId).finished = true;
          changed = true;
          continue;
        }
        if (e.type !== "node.started" && e.type !== "node.finished" && e.type !== "node.failed" && e.type !== "node.retrying") continue;
        if (e.scope && e.scope.length > 0) continue;
        const r = run(e.runId);
        const key = attemptKey(e);
        if (e.type === "node.started") {
          r.open.set(key, e.ts);
          continue;
        }
        const duration = "durationMs" in e ? e.durationMs : undefined;
        const startedAt = r.open.get(key) ?? e.ts - (duration ?? 0);
        r.open.delete(key);
        r.records.push({
          runId: e.runId,
          nodeId: e.nodeId,
          attempt: e.attempt,
          status: e.type === "node.finished" ? "succeeded" : "failed",
          startedAt,
          finishedAt: Math.max(startedAt, e.ts),
          tokens: e.type === "node.finished" && e.tokens ? e.tokens.input + e.tokens.output : 0,
          costUsd: e.type === "node.finished" ? (e.costUsd ?? 0) : 0,
          edgesTaken: e.type === "node.finished" ? edgesOn(e.nodeId, e.port) : [],
        });
        changed = true;
      }
      return changed;
    },
    records: () => [...runs.values()].flatMap((r) => r.records),
    activeRuns: () => [...runs].filter(([, r]) => !r.finished).map(([id]) => id),
    finishedRuns: () => [...runs].filter(([, r]) => r.finished).map(([id]) => id),
    drop(ids) {
      for (const id of ids) runs.delete(id);
    },
  };
}
