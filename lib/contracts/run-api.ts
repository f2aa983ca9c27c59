// Request/response shapes of the runs API, shared by the route handlers and the browser.
import { z } from "zod";
import { commaList, isoOrMs } from "./query-params";

export const RunStatusSchema = z.enum(["queued", "running", "waiting", "succeeded", "failed", "cancelled"]);
export const RunTriggerSchema = z.enum(["ui", "api", "webhook", "schedule", "cli", "retry", "fork"]);

/** POST /api/workflows/:id/runs */
export const StartRunBodySchema = z.object({
  input: z.record(z.string(), z.unknown()).default({}),
  /** "ui" when the editor's Run button starts it; default "api". */
  trigger: z.enum(["ui", "api", "cli"]).default("api"),
  /** Pinned nodes use their pinned output instead of executing (the editor's Run sends true). Default false. */
  usePinnedData: z.boolean().default(false),
});

/** POST /api/runs/:id/approvals/:nodeId */
export const ApprovalBodySchema = z.object({
  approved: z.boolean(),
  comment: z.string().max(5000).default(""),
  values: z.record(z.string(), z.unknown()).default({}),
  /**
   * Which of the node's waiting approvals this answers (the interruptId of its node.waiting event):
   * in a Parallel map's branch the node waits once per item. Default: the one that waits longest.
   */
  interruptId: z.string().min(1).max(200).optional(),
});

/** POST /api/runs/:id/cancel (body optional) */
export const CancelBodySchema = z.object({ reason: z.string().max(500).optional() });

const limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

/** GET /api/runs and GET /api/dead-letters query */
export const ListRunsQuerySchema = z.object({
  workflowId: z.string().min(1).max(200).optional(),
  /** One status or several, comma-separated. */
  status: commaList(RunStatusSchema, "status"),
  /** One trigger or several, comma-separated (ui, api, webhook, schedule, cli, retry, fork). */
  trigger: commaList(RunTriggerSchema, "trigger"),
  /** Created at or after this time (ISO 8601 or epoch ms). */
  from: isoOrMs.optional(),
  /** Created before this time (ISO 8601 or epoch ms). */
  to: isoOrMs.optional(),
  /**
   * Text search: a value starting with "run_" matches run ids by prefix; anything else matches
   * workflow names (case-insensitive substring). Both use indexes (the id key; workflows are few).
   */
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: limit(200, 50),
});

/** GET /api/runs/:id/events query */
export const ListEventsQuerySchema = z.object({
  after: z.coerce.number().int().min(-1).default(-1),
  limit: limit(1000, 500),
});

export const NodeStateSchema = z.object({
  status: z.enum(["running", "succeeded", "failed", "retrying", "skipped", "waiting"]),
  kind: z.string(),
  attempts: z.number().int(),
  /** How many times it started (map items count each). */
  runs: z.number().int(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  port: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type NodeState = z.infer<typeof NodeStateSchema>;

export const RunSummarySchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowVersion: z.number().int(),
  status: RunStatusSchema,
  trigger: RunTriggerSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  error: z.object({ code: z.string(), message: z.string(), nodeId: z.string().nullable() }).nullable(),
  tokens: z.object({ input: z.number(), output: z.number() }),
  costUsd: z.number(),
  attempt: z.number().int(),
  parentRunId: z.string().nullable(),
  retriedByRunId: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunDetailSchema = RunSummarySchema.extend({
  input: z.unknown(),
  result: z.unknown(),
  /** node.waiting events of a waiting run (what to approve). */
  waitingFor: z.array(z.record(z.string(), z.unknown())),
  /** Per document node, derived from the run's events (top level; map items and sub-workflow nodes fold into their node id). */
  nodes: z.record(z.string(), NodeStateSchema),
  lastSeq: z.number().int(),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;
