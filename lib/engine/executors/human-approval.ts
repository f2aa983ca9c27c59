import { interrupt } from "@langchain/langgraph";
import { z } from "zod";
import type { EscalationEvidence } from "../../contracts/events";
import { EngineError, EngineErrorCode } from "../errors";
import { renderTemplate } from "../template";
import type { ExecutorFor } from "./types";

/** What a reviewer answers; the server passes it as `resume` (LangGraph Command({ resume })). */
export const ApprovalDecisionSchema = z.object({
  approved: z.boolean(),
  comment: z.string().max(5000).default(""),
  /** New values for the node's editable fields (others are ignored). */
  values: z.record(z.string(), z.unknown()).default({}),
});
export type ApprovalDecision = z.input<typeof ApprovalDecisionSchema>;

/** The interrupt payload: everything the UI needs to ask for a decision. */
export interface ApprovalRequest {
  type: "approval";
  nodeId: string;
  kind: string;
  scope?: string[];
  itemIndex?: number;
  instructions: string;
  editableFields: string[];
  values: Record<string, unknown>;
  timeoutMs: number;
  /** Set when an Agent's Escalate policy asks (escalation/run-escalation.ts): what the levels before found. */
  escalation?: EscalationEvidence;
}

/**
 * Human approval: pauses the run with a LangGraph interrupt; resumed with a decision, it applies the
 * edited values of the editable fields and continues on `approved` or `rejected`. (LangGraph re-runs the
 * node from its first line on resume, so nothing before `interrupt` has side effects.)
 */
export const humanApproval: ExecutorFor<"human-approval"> = () => (ctx) => {
  const c = ctx.config;
  const request: ApprovalRequest = {
    type: "approval",
    nodeId: ctx.node.id,
    kind: ctx.node.kind,
    ...ctx.where,
    // {{placeholders}} filled from the state, so the reviewer sees what is at stake (in a map branch:
    // which item).
    instructions: renderTemplate(c.instructions, ctx.state),
    editableFields: c.editableFields,
    values: Object.fromEntries(c.editableFields.map((f) => [f, ctx.state[f] ?? null])),
    timeoutMs: c.timeoutMs,
  };
  const answer: unknown = interrupt(request);
  const parsed = ApprovalDecisionSchema.safeParse(answer);
  if (!parsed.success)
    throw new EngineError(
      EngineErrorCode.INPUT_INVALID,
      `The approval answer must be { approved: boolean, comment?, values? }: ${parsed.error.issues[0]?.message}`,
    );
  const d = parsed.data;
  const writes = Object.fromEntries(Object.entries(d.values).filter(([k]) => c.editableFields.includes(k)));
  return {
    value: { approved: d.approved, comment: d.comment, edited: Object.keys(writes) },
    writes,
    port: d.approved ? "approved" : "rejected",
    detail: { approved: d.approved, comment: d.comment },
  };
};
