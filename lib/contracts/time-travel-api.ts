// Request/response shapes of the time-travel API (GET /api/runs/:id/checkpoints, POST /api/runs/:id/fork),
// shared by the route handlers, lib/server and the browser. Pure zod.
import { z } from "zod";

/** POST /api/runs/:id/fork */
export const ForkBodySchema = z.object({
  /** A checkpoint of the run's thread (an id from GET /api/runs/:id/checkpoints). */
  checkpointId: z.string().min(1).max(200),
  /**
   * Optional edited state: these fields replace their values (reducers bypassed) before the new run
   * continues. Keys must be state fields of the workflow (no internal "__" keys).
   */
  state: z.record(z.string(), z.unknown()).optional(),
});
export type ForkBody = z.infer<typeof ForkBodySchema>;

export const CheckpointSchema = z.object({
  /** LangGraph checkpoint id (time-ordered). */
  id: z.string(),
  parentId: z.string().nullable(),
  /** LangGraph super-step: -1 for the input checkpoint, then 0, 1, … */
  step: z.number().int(),
  /** input (the run started), loop (after a step), update (edited state), fork (copied from another run). */
  source: z.string(),
  createdAt: z.string(),
  /** Document node ids that ran in the step that produced this checkpoint. */
  ran: z.array(z.string()),
  /** Document node ids that run next from here (empty when the run ended here). */
  next: z.array(z.string()),
  /** Approvals pending at this checkpoint (node ids). */
  interrupts: z.array(z.string()),
  /** The public state (internal "__" fields left out). */
  values: z.record(z.string(), z.unknown()),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export const ForkLinkSchema = z.object({
  runId: z.string(),
  status: z.string(),
  createdAt: z.string(),
  /** The checkpoint it was forked from (the first checkpoint of its own thread). */
  checkpointId: z.string().nullable(),
});
export type ForkLink = z.infer<typeof ForkLinkSchema>;

/** GET /api/runs/:id/checkpoints → oldest first. */
export const CheckpointListSchema = z.object({
  runId: z.string(),
  threadId: z.string(),
  checkpoints: z.array(CheckpointSchema),
  /** True when the history was longer than the limit (the oldest were left out). */
  truncated: z.boolean(),
  /** The run this one was forked from, and the checkpoint of that run it started at. */
  forkedFrom: z.object({ runId: z.string(), checkpointId: z.string().nullable() }).nullable(),
  /** Runs forked from this one, newest first. */
  forks: z.array(ForkLinkSchema),
});
export type CheckpointList = z.infer<typeof CheckpointListSchema>;

export const CheckpointsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});
