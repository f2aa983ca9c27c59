import "server-only";
import { z } from "zod";
import { NodeWaitingEventSchema } from "@/lib/contracts/events";
import { ApprovalBodySchema, StartRunBodySchema } from "@/lib/contracts/run-api";

// The Run row's JSON columns, parsed once here with the zod schemas of what is written into them, so
// lib/server reads typed values and never JSON.parse + `as`.

/** `input`: the run input, an object of Start fields (as the start-run API accepts it). */
export const RunInputSchema = StartRunBodySchema.shape.input.unwrap();
export type RunInput = z.infer<typeof RunInputSchema>;

/** `waitingFor`: the stored node.waiting events of a run paused at Human approvals. */
export const WaitingForSchema = z.array(NodeWaitingEventSchema);
export type WaitingApproval = z.infer<typeof NodeWaitingEventSchema>;

/** `pendingDecision`: an approval answer (the approvals API's body) waiting to be handed to its node. */
export const PendingDecisionSchema = ApprovalBodySchema.extend({ nodeId: z.string() });
export type PendingDecision = z.infer<typeof PendingDecisionSchema>;

/** A Run column that does not hold what its schema says (written outside this app). */
export class RunColumnError extends Error {
  constructor(
    readonly runId: string,
    readonly column: string,
    detail: string,
  ) {
    super(`Run "${runId}" has an unreadable ${column} column: ${detail}`);
    this.name = "RunColumnError";
  }
}

/** Parses one JSON column with its schema; SQL NULL stays null. Throws RunColumnError. */
export function parseRunColumn<S extends z.ZodType>(runId: string, column: string, schema: S, text: string | null): z.infer<S> | null {
  if (text == null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RunColumnError(runId, column, `not JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RunColumnError(runId, column, parsed.error.issues.map((i) => `${i.path.join(".") || "$"}: ${i.message}`).join("; "));
  return parsed.data;
}
