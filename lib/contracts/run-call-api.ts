// HTTP shapes for calling a workflow as a service: wait for the answer, or stream the run's events.
import { z } from "zod";

/** Where a caller follows a run that did not answer in time. */
export const RunUrlsSchema = z.object({
  run: z.string(),
  events: z.string(),
  stream: z.string(),
});
export type RunUrls = z.infer<typeof RunUrlsSchema>;

/** `?wait=SECONDS` on POST /api/workflows/:id/runs (whole or decimal seconds, 0 = do not wait). */
export const WaitQuerySchema = z.object({
  wait: z
    .string()
    .regex(/^\d+(\.\d+)?$/, "wait must be a number of seconds, e.g. wait=30.")
    .transform(Number)
    .optional(),
});

/** `Last-Event-ID` header or `?after=`: the last seq the caller has; -1 (default) streams everything. */
export const StreamAfterSchema = z.coerce
  .number({ message: "The last event id must be an event seq (an integer ≥ -1)." })
  .int("The last event id must be an event seq (an integer ≥ -1).")
  .min(-1, "The last event id must be an event seq (an integer ≥ -1).");

/**
 * The answer of POST /api/workflows/:id/runs?wait=SECONDS.
 * 200: the run stopped (succeeded, failed, cancelled) with its result or error, tokens, cost, duration.
 * 202: still going (queued, running) or waiting for a human (waiting_approval, with what waits).
 */
export const RunWaitAnswerSchema = z.object({
  runId: z.string(),
  status: z.enum(["succeeded", "failed", "cancelled", "queued", "running", "waiting_approval"]),
  result: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string(), nodeId: z.string().nullable() }).optional(),
  tokens: z.object({ input: z.number(), output: z.number() }).optional(),
  costUsd: z.number().optional(),
  durationMs: z.number().optional(),
  /** waiting_approval: the node.waiting events (node id, instructions, editable fields, values). */
  waitingFor: z.array(z.record(z.string(), z.unknown())).optional(),
  urls: RunUrlsSchema,
});
export type RunWaitAnswer = z.infer<typeof RunWaitAnswerSchema>;
