import { z } from "zod";

/**
 * Observed run statistics: the input of the observed half of the topology analysis.
 *
 * Two shapes, both zod so the server (which aggregates them from stored runs) and the browser (which
 * receives them over HTTP or Socket.IO) share one definition:
 * - `RunNodeRecord`: one attempt of one node in one run, as the engine or monitoring records it;
 * - `TopologyStats`: those records aggregated over a set of runs (see `aggregateRunStats`).
 * Every aggregated field has a default, so a producer may fill in only what it measures.
 */

/** Epoch milliseconds or an ISO-8601 date-time with offset (e.g. "2026-01-01T10:00:00.000Z"). */
export const TimestampSchema = z.union([z.number().finite(), z.iso.datetime({ offset: true })]);

export const RunNodeStatusSchema = z.enum(["succeeded", "failed", "cancelled", "skipped"]);

/** One attempt of one node in one run. A retry is a second record with `attempt: 2`. */
export const RunNodeRecordSchema = z.object({
  runId: z.string().min(1),
  nodeId: z.string().min(1),
  /** 1 for the first attempt of an execution, 2 for its first retry, … */
  attempt: z.number().int().min(1).default(1),
  /** `skipped` records (a branch a router did not take) are ignored; `cancelled` ones count as attempts but not failures. */
  status: RunNodeStatusSchema,
  startedAt: TimestampSchema,
  finishedAt: TimestampSchema,
  tokens: z.number().min(0).default(0),
  costUsd: z.number().min(0).default(0),
  /** Time the node waited for its inputs before it could start (a Join: first to last branch arrival). */
  waitedMs: z.number().min(0).default(0),
  /** Time the node was ready but queued behind a concurrency limit (Parallel map cap, run pool). */
  queuedMs: z.number().min(0).default(0),
  /** Ids of the outgoing edges this attempt followed. */
  edgesTaken: z.array(z.string()).default([]),
});

/** Nearest-rank percentiles and the mean of a sample, in milliseconds; all 0 for an empty sample. */
export const DistributionSchema = z.object({
  p50: z.number().min(0).default(0),
  p95: z.number().min(0).default(0),
  mean: z.number().min(0).default(0),
});

const zeroDistribution = () => ({ p50: 0, p95: 0, mean: 0 });

/** What was observed of one node over the aggregated runs. */
export const NodeStatsSchema = z.object({
  /** Runs in which the node made at least one attempt. */
  runs: z.number().int().min(0).default(0),
  /** Executions: an execution is attempt 1 and the retries that follow it (a loop executes a node several times per run). */
  executions: z.number().int().min(0).default(0),
  attempts: z.number().int().min(0).default(0),
  /** attempts − executions. */
  retries: z.number().int().min(0).default(0),
  /** Attempts that ended `failed`. */
  failures: z.number().int().min(0).default(0),
  /** Executions whose last attempt failed (the failure was not absorbed by retries). */
  failedExecutions: z.number().int().min(0).default(0),
  /** Duration of one attempt (finishedAt − startedAt), cancelled attempts excluded. */
  latencyMs: DistributionSchema.default(zeroDistribution),
  /** Mean, over the runs it ran in, of the sum of its attempt durations: loops and retries included. */
  busyMsPerRun: z.number().min(0).default(0),
  /** Per execution: time waiting for inputs (a Join waiting for the slowest branch). */
  joinWaitMs: DistributionSchema.default(zeroDistribution),
  /** Per execution: time queued behind a concurrency limit. */
  queueWaitMs: DistributionSchema.default(zeroDistribution),
  tokens: z.number().min(0).default(0),
  costUsd: z.number().min(0).default(0),
});

export const EdgeStatsSchema = z.object({
  /** How many attempts followed this edge, over all aggregated runs (a loop edge can exceed `runs`). */
  taken: z.number().int().min(0).default(0),
});

export const TopologyStatsSchema = z.object({
  /** Runs aggregated (including runs in which some nodes never ran). */
  runs: z.number().int().min(0),
  /** Keyed by node id; a node absent here falls back to its kind's estimate. */
  nodes: z.record(z.string(), NodeStatsSchema).default({}),
  /** Keyed by edge id. */
  edges: z.record(z.string(), EdgeStatsSchema).default({}),
  /** Wall-clock run duration (first start to last finish of a run's records). */
  runDurationMs: DistributionSchema.default(zeroDistribution),
});

/**
 * The entry of `record` under `key` only if it is the record's own (ids like "constructor" or
 * "__proto__" are valid node ids and must not reach Object.prototype).
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export type RunNodeRecord = z.infer<typeof RunNodeRecordSchema>;
export type RunNodeRecordInput = z.input<typeof RunNodeRecordSchema>;
export type RunNodeStatus = z.infer<typeof RunNodeStatusSchema>;
export type Distribution = z.infer<typeof DistributionSchema>;
export type NodeStats = z.infer<typeof NodeStatsSchema>;
export type EdgeStats = z.infer<typeof EdgeStatsSchema>;
export type TopologyStats = z.infer<typeof TopologyStatsSchema>;
export type TopologyStatsInput = z.input<typeof TopologyStatsSchema>;
