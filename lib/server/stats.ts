import "server-only";
import { getDatabase } from "@/lib/db/database";
import { currentWorkspaceId } from "./request-scope";
import * as stats from "@/lib/db/stats";
import { escalationsByNode } from "@/lib/db/escalation-stats";
import { listWorkflowNames } from "@/lib/db/workflows";
import { AppError, ErrorCode } from "./errors";
import type { Overview, OverviewPoint } from "@/lib/contracts/stats-api";

const NICE_BUCKETS = [60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000, 7 * 86_400_000];
const MAX_BUCKETS = 500;

/** The smallest "nice" bucket that gives at most ~60 buckets over the window. */
export function autoBucket(spanMs: number): number {
  return NICE_BUCKETS.find((b) => spanMs / b <= 60) ?? NICE_BUCKETS[NICE_BUCKETS.length - 1];
}

/** Shortest and longest sample seen: an interpolated percentile never leaves this range. */
export interface SampleRange {
  min: number;
  max: number;
}

/**
 * A percentile from histogram counts over LATENCY_BOUNDS_MS, interpolating linearly inside the bin
 * (like Prometheus' histogram_quantile), clamped to the observed range when given (one run of 92 ms
 * is p50 = p95 = 92 ms, not the middle of its bin). null without samples.
 */
export function histogramPercentile(bins: readonly number[], p: number, range?: SampleRange): number | null {
  const estimate = interpolatedPercentile(bins, p);
  if (estimate === null || !range) return estimate;
  return Math.round(Math.min(range.max, Math.max(range.min, estimate)));
}

function interpolatedPercentile(bins: readonly number[], p: number): number | null {
  const total = bins.reduce((s, c) => s + c, 0);
  if (!total) return null;
  const bounds = stats.LATENCY_BOUNDS_MS;
  const rank = p * total;
  let seen = 0;
  for (let i = 0; i < bins.length; i++) {
    if (!bins[i]) continue;
    if (seen + bins[i] >= rank) {
      if (i >= bounds.length) return bounds[bounds.length - 1];
      const lo = i === 0 ? 0 : bounds[i - 1];
      return Math.round(lo + ((bounds[i] - lo) * (rank - seen)) / bins[i]);
    }
    seen += bins[i];
  }
  return bounds[bounds.length - 1];
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The dashboard overview over [from, to): status counts, throughput / failure rate / p50 / p95 per
 * bucket, the nodes that fail most, usage by workflow and model, approvals waiting. Every figure is
 * a GROUP BY in the database; the server only folds at most buckets × statuses × bins rows.
 */
export async function getOverview(q: { from?: Date; to?: Date; bucket?: number; workflowId?: string }): Promise<Overview> {
  const to = q.to ?? new Date();
  const from = q.from ?? new Date(to.getTime() - 86_400_000);
  const span = to.getTime() - from.getTime();
  if (span <= 0) throw new AppError(ErrorCode.BAD_REQUEST, "`from` must be before `to`.");
  const bucketMs = q.bucket ?? autoBucket(span);
  if (span / bucketMs > MAX_BUCKETS)
    throw new AppError(ErrorCode.BAD_REQUEST, `That is more than ${MAX_BUCKETS} buckets; use a wider bucket or a shorter range.`);
  const db = await getDatabase();
  const w: stats.StatsWindow = { workspaceId: currentWorkspaceId(), from, to, workflowId: q.workflowId };
  const [counts, finished, created, failing, byWorkflow, byModel, approvals, workflows, escalations] = await Promise.all([
    stats.statusCounts(db, w),
    stats.finishedSeries(db, w, bucketMs),
    stats.createdSeries(db, w, bucketMs),
    stats.failingNodes(db, w),
    stats.usageByWorkflow(db, w),
    stats.usageByModel(db, w),
    stats.waitingApprovals(db, w),
    listWorkflowNames(db, currentWorkspaceId()),
    escalationsByNode(db, w),
  ]);
  const names = new Map(workflows.map((x) => [x.id, x.name]));
  const nameOf = (id: string) => names.get(id) ?? id;

  const nBuckets = Math.ceil(span / bucketMs);
  const binsLen = stats.LATENCY_BOUNDS_MS.length + 1;
  const per = Array.from({ length: nBuckets }, () => ({
    started: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    bins: new Array<number>(binsLen).fill(0),
    range: { min: Infinity, max: -Infinity },
  }));
  const allBins = new Array<number>(binsLen).fill(0);
  const allRange = { min: Infinity, max: -Infinity };
  const widen = (range: SampleRange, r: { minMs: number; maxMs: number }) => {
    range.min = Math.min(range.min, r.minMs);
    range.max = Math.max(range.max, r.maxMs);
  };
  for (const r of created) if (per[r.bucket]) per[r.bucket].started += r.count;
  for (const r of finished) {
    const b = per[r.bucket];
    if (!b) continue;
    if (r.status === "succeeded" || r.status === "failed" || r.status === "cancelled") b[r.status] += r.count;
    // Latency of completed work: succeeded and failed (a cancel says nothing about speed).
    if (r.status !== "cancelled") {
      b.bins[r.bin] += r.count;
      allBins[r.bin] += r.count;
      widen(b.range, r);
      widen(allRange, r);
    }
  }
  const series: OverviewPoint[] = per.map((b, i) => {
    const done = b.succeeded + b.failed + b.cancelled;
    return {
      t: from.getTime() + i * bucketMs,
      started: b.started,
      succeeded: b.succeeded,
      failed: b.failed,
      cancelled: b.cancelled,
      failureRate: done ? round(b.failed / done) : null,
      p50Ms: histogramPercentile(b.bins, 0.5, b.range),
      p95Ms: histogramPercentile(b.bins, 0.95, b.range),
    };
  });
  const fin = series.reduce((s, p) => ({ ok: s.ok + p.succeeded, bad: s.bad + p.failed, cancelled: s.cancelled + p.cancelled }), {
    ok: 0,
    bad: 0,
    cancelled: 0,
  });
  const finishedTotal = fin.ok + fin.bad + fin.cancelled;
  const usage = byWorkflow.reduce((s, u) => ({ runs: s.runs + u.runs, i: s.i + u.tokensInput, o: s.o + u.tokensOutput, c: s.c + u.costUsd }), {
    runs: 0,
    i: 0,
    o: 0,
    c: 0,
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucketMs,
    counts: counts,
    totals: {
      finished: finishedTotal,
      failureRate: finishedTotal ? round(fin.bad / finishedTotal) : null,
      p50Ms: histogramPercentile(allBins, 0.5, allRange),
      p95Ms: histogramPercentile(allBins, 0.95, allRange),
      runs: usage.runs,
      tokensInput: usage.i,
      tokensOutput: usage.o,
      costUsd: round(usage.c, 6),
    },
    series,
    failingNodes: failing.map((f) => ({ ...f, workflowName: nameOf(f.workflowId), lastAt: f.lastAt.toISOString() })),
    byWorkflow: byWorkflow.slice(0, 12).map((u) => ({ ...u, label: nameOf(u.key), costUsd: round(u.costUsd, 6) })),
    byModel: byModel.map((u) => ({ ...u, label: u.key, costUsd: round(u.costUsd, 6) })),
    approvals: {
      total: approvals.total,
      runs: approvals.rows.map((r) => {
        const nodes = r.waitingFor.map((e) => ({ nodeId: e.nodeId, instructions: e.instructions }));
        return { runId: r.id, workflowId: r.workflowId, workflowName: nameOf(r.workflowId), since: r.createdAt.toISOString(), nodes };
      }),
    },
    escalations: escalations.map((e) => ({ ...e, workflowName: nameOf(e.workflowId), lastAt: e.lastAt.toISOString() })),
  };
}
