"use client";

import Link from "next/link";
import { ArrowUpRight } from "lucide-react";
import type { Overview } from "@/lib/contracts/stats-api";
import { cn } from "@/components/ui/cn";

/**
 * Escalations per workflow and node in the window (Agents with an Escalate policy): how often each
 * handed its step on, to the supervisor and to a human, how the humans decided, and in how many runs.
 */
export function EscalationsCard({ escalations, compact, className }: { escalations: Overview["escalations"]; compact?: boolean; className?: string }) {
  const rows = escalations ?? [];
  const max = Math.max(1, ...rows.map((r) => r.escalations + r.exhausted));
  return (
    <section className={cn("flex min-w-0 flex-col rounded-xl border border-border bg-panel p-4 shadow-sm", className)} data-testid="escalations">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">Escalations</h3>
      </div>
      {rows.length ? (
        <ul className="space-y-2 text-sm">
          {rows.slice(0, 6).map((e) => (
            <li key={`${e.workflowId}/${e.nodeId}`} data-testid="escalation-row" data-node={e.nodeId} data-workflow={e.workflowId} data-count={e.escalations}>
              <div className="flex items-baseline justify-between gap-2">
                <span className="min-w-0 truncate">
                  <span className="font-mono text-xs font-medium">{e.nodeId}</span>
                  {!compact && (
                    <Link href={`/workflows/${encodeURIComponent(e.workflowId)}/runs`} className="ml-1.5 text-xs text-muted hover:underline">
                      {e.workflowName}
                    </Link>
                  )}
                </span>
                <span className="flex shrink-0 items-center gap-0.5 text-xs tabular-nums text-muted">
                  <ArrowUpRight size={12} />
                  {e.escalations}×
                </span>
              </div>
              <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-panel-2">
                <div className="h-full rounded-full bg-warning/70" style={{ width: `${Math.max(4, ((e.escalations + e.exhausted) / max) * 100)}%` }} />
              </div>
              <div className="mt-0.5 truncate font-mono text-[10px] text-muted">
                {e.toSupervisor} to supervisor · {e.toHuman} to human
                {e.approved || e.rejected ? ` · ${e.approved} approved, ${e.rejected} rejected` : ""}
                {e.exhausted ? ` · ${e.exhausted} unresolved` : ""} · {e.runs} run{e.runs === 1 ? "" : "s"}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-muted">No agent escalated in this window.</p>
      )}
    </section>
  );
}
