import type { NodeConfigOf } from "../../workflow";
import { SELF_RATING } from "../models/offline";

/** An Agent's Escalate policy, parsed (defaults applied). */
export type EscalationPolicy = NonNullable<NodeConfigOf<"agent">["escalation"]>;

/** Whether the Agent's config turns escalation on. */
export const escalates = (config: NodeConfigOf<"agent">): config is NodeConfigOf<"agent"> & { escalation: EscalationPolicy } =>
  config.escalation?.enabled === true;

/**
 * What the system prompt gains with the "field" source: the JSON shape to answer in. The example
 * object is also what the Simulated model reads to answer in JSON (see models/offline.ts).
 */
export function jsonInstruction(policy: EscalationPolicy): string {
  const shape = policy.answerField ? `{"${policy.answerField}": text, "${policy.confidenceField}": 0..1}` : `{"${policy.confidenceField}": 0..1, ...}`;
  return `Reply with JSON only, in this shape: ${shape}, where "${policy.confidenceField}" ${SELF_RATING} that the answer is correct and complete.`;
}

/** Cuts a text for events and evidence. */
export const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
