import { distribution } from "./distribution";
import { TopologyError, TopologyErrorCode } from "./errors";
import { RunNodeRecordSchema, type EdgeStats, type NodeStats, type RunNodeRecord, type RunNodeRecordInput, type TopologyStats } from "./stats";

export interface AggregateRunStatsOptions {
  /**
   * Total runs in the window, when some runs left no records (e.g. failed before the first node).
   * Default: the number of distinct run ids in the records. Never less than that number.
   */
  runs?: number;
}

const toMs = (t: number | string) => (typeof t === "number" ? t : Date.parse(t));

/**
 * Aggregates per-attempt run records into `TopologyStats`.
 *
 * 1. Check every record against `RunNodeRecordSchema` (throws `TOPOLOGY_RECORD_INVALID` naming the
 *    record); drop `skipped` records.
 * 2. Group the records by node, then by run, each run's attempts ordered by start time.
 * 3. Split each (node, run) list into executions: an execution starts at every `attempt: 1` record
 *    (or whenever the attempt number does not increase), so a loop that runs a node three times gives
 *    three executions.
 * 4. Per node: attempts, executions, retries = attempts − executions, failed attempts, executions whose
 *    last attempt failed, attempt-latency distribution (cancelled attempts excluded), busy time per run
 *    (sum of attempt durations / runs it ran in), per-execution join wait and queue wait
 *    distributions (sums over the execution's attempts), total tokens and cost.
 * 5. Per edge: how many attempts listed it in `edgesTaken`.
 * 6. Per run: wall-clock duration = last finish − first start over its records.
 * Output keys follow first appearance in `records`, so the result is deterministic.
 */
export function aggregateRunStats(records: readonly RunNodeRecordInput[], options: AggregateRunStatsOptions = {}): TopologyStats {
  // 1. Validate.
  const parsed: RunNodeRecord[] = [];
  records.forEach((raw, i) => {
    const r = RunNodeRecordSchema.safeParse(raw);
    if (!r.success) {
      const where = typeof raw === "object" && raw ? ` (run "${String(raw.runId)}", node "${String(raw.nodeId)}")` : "";
      const first = r.error.issues[0];
      throw new TopologyError(
        TopologyErrorCode.RECORD_INVALID,
        `Run record ${i}${where}: ${first.path.join(".") || "record"} ${first.message}. Send one record per attempt with runId, nodeId, status, startedAt and finishedAt.`,
      );
    }
    if (toMs(r.data.finishedAt) < toMs(r.data.startedAt)) {
      throw new TopologyError(
        TopologyErrorCode.RECORD_INVALID,
        `Run record ${i} (run "${r.data.runId}", node "${r.data.nodeId}") finishes before it starts; check the clock source of startedAt/finishedAt.`,
      );
    }
    if (r.data.status !== "skipped") parsed.push(r.data);
  });

  // 2. Group by node, then run.
  const byNode = new Map<string, Map<string, RunNodeRecord[]>>();
  const runBounds = new Map<string, { start: number; end: number }>();
  const edges = new Map<string, EdgeStats>();
  for (const r of parsed) {
    let runs = byNode.get(r.nodeId);
    if (!runs) byNode.set(r.nodeId, (runs = new Map<string, RunNodeRecord[]>()));
    const list = runs.get(r.runId);
    if (list) list.push(r);
    else runs.set(r.runId, [r]);
    const start = toMs(r.startedAt);
    const end = toMs(r.finishedAt);
    const b = runBounds.get(r.runId);
    if (!b) runBounds.set(r.runId, { start, end });
    else {
      b.start = Math.min(b.start, start);
      b.end = Math.max(b.end, end);
    }
    // 5. Edges taken.
    for (const edgeId of r.edgesTaken) {
      const e = edges.get(edgeId);
      if (e) e.taken++;
      else edges.set(edgeId, { taken: 1 });
    }
  }

  // Maps, then Object.fromEntries: ids such as "__proto__" become plain own keys.
  const nodes = new Map<string, NodeStats>();
  for (const [nodeId, runs] of byNode) {
    const latencies: number[] = [];
    const joinWaits: number[] = [];
    const queueWaits: number[] = [];
    let attempts = 0,
      executions = 0,
      failures = 0,
      failedExecutions = 0,
      busy = 0,
      tokens = 0,
      costUsd = 0;
    for (const list of runs.values()) {
      list.sort((a, b) => toMs(a.startedAt) - toMs(b.startedAt) || a.attempt - b.attempt);
      // 3. Executions.
      let prevAttempt = Number.POSITIVE_INFINITY;
      let waited = 0,
        queued = 0,
        lastStatus: RunNodeRecord["status"] | null = null;
      const closeExecution = () => {
        if (lastStatus === null) return;
        executions++;
        joinWaits.push(waited);
        queueWaits.push(queued);
        if (lastStatus === "failed") failedExecutions++;
      };
      for (const r of list) {
        if (r.attempt === 1 || r.attempt <= prevAttempt) {
          closeExecution();
          waited = 0;
          queued = 0;
        }
        prevAttempt = r.attempt;
        lastStatus = r.status;
        waited += r.waitedMs;
        queued += r.queuedMs;
        attempts++;
        if (r.status === "failed") failures++;
        const ms = toMs(r.finishedAt) - toMs(r.startedAt);
        busy += ms;
        if (r.status !== "cancelled") latencies.push(ms);
        tokens += r.tokens;
        costUsd += r.costUsd;
      }
      closeExecution();
    }
    // 4. Per node.
    nodes.set(nodeId, {
      runs: runs.size,
      executions,
      attempts,
      retries: attempts - executions,
      failures,
      failedExecutions,
      latencyMs: distribution(latencies),
      busyMsPerRun: runs.size ? busy / runs.size : 0,
      joinWaitMs: distribution(joinWaits),
      queueWaitMs: distribution(queueWaits),
      tokens,
      costUsd,
    });
  }

  // 6. Runs.
  const durations = [...runBounds.values()].map((b) => b.end - b.start);
  return {
    runs: Math.max(options.runs ?? 0, runBounds.size),
    nodes: Object.fromEntries(nodes),
    edges: Object.fromEntries(edges),
    runDurationMs: distribution(durations),
  };
}
