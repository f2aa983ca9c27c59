import { EscalationEvidenceSchema, type EscalationEvidence } from "@/lib/contracts/events";

/** The escalation evidence of a stored node.waiting event (a waitingFor entry), when it has valid evidence. */
export function escalationOf(waiting: Record<string, unknown> | undefined): { escalation?: EscalationEvidence } {
  const parsed = EscalationEvidenceSchema.safeParse(waiting?.escalation);
  return parsed.success ? { escalation: parsed.data } : {};
}
