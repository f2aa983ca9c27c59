"use client";

import { useMemo } from "react";
import type { RunEvent, RunEventOf } from "@/lib/contracts/events";
import { ConfidenceBadge } from "@/components/runs/approvals/escalation-evidence";

const LEVEL_LABEL = { agent: "Agent", supervisor: "Supervisor", human: "Human" } as const;
const OUTCOME_LABEL = {
  accepted: "answer accepted",
  escalated: "escalated",
  exhausted: "no level left",
  approved: "approved",
  rejected: "rejected",
} as const;

/**
 * The levels an escalating Agent tried in this run, in order (node.escalation events): who answered,
 * how sure it was against the threshold, and why it went on to the next level. Nothing for other nodes.
 */
export function EscalationLevels({ events, nodeId, version }: { events: readonly RunEvent[]; nodeId: string; version: number }) {
  const levels = useMemo(
    () => events.filter((e): e is RunEventOf<"node.escalation"> => e.type === "node.escalation" && e.nodeId === nodeId && !e.scope?.length),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- events grows in place; version is what changes when it does
    [events, version, nodeId],
  );
  if (!levels.length) return null;
  return (
    <div data-testid="escalation-levels">
      <div className="mb-1 text-muted">Escalation</div>
      <ol className="relative space-y-1.5 border-l border-border pl-3">
        {levels.map((e) => (
          <li key={e.seq} className="relative" data-testid="escalation-level" data-level={e.level} data-outcome={e.outcome}>
            <span className="absolute -left-[17px] top-1 h-2 w-2 rounded-full bg-accent" aria-hidden />
            <div className="flex flex-wrap items-center gap-1.5">
              <span className="font-semibold">{LEVEL_LABEL[e.level]}</span>
              {e.level !== "human" && <ConfidenceBadge confidence={e.confidence} threshold={e.threshold} />}
              <span className="text-muted">
                {OUTCOME_LABEL[e.outcome]}
                {e.to ? ` → ${LEVEL_LABEL[e.to]}` : ""}
              </span>
              {e.model && <span className="font-mono text-[10px] text-muted">{e.model}</span>}
            </div>
            {e.reason && <div className="text-[11px] text-muted">{e.level === "human" ? `Comment: ${e.reason}` : `Why: ${e.reason}`}</div>}
            {e.error && <div className="font-mono text-[11px] text-danger">{e.error.code}</div>}
          </li>
        ))}
      </ol>
    </div>
  );
}
