"use client";

import Link from "next/link";
import { useMemo } from "react";
import { useQueries } from "@tanstack/react-query";
import { Hand, Inbox, Loader2 } from "lucide-react";
import { runApi, runKeys, useRuns } from "@/lib/api/runs";
import { useWorkflows } from "@/lib/api/workflows";
import { formatDateTime, formatRelativeTime, formatTimeOfDay } from "@/components/ui/format-time";
import { ApprovalForm } from "./approval-form";
import { escalationOf } from "./escalation-of";
import type { EscalationEvidence } from "@/lib/contracts/events";

interface Waiting {
  runId: string;
  workflowId: string;
  nodeId: string;
  /** Which of the node's approvals; `itemIndex` says which item, for a node in a Parallel map's branch. */
  interruptId?: string;
  itemIndex?: number;
  instructions: string;
  editableFields: string[];
  values: Record<string, unknown>;
  since: number | null;
  timeoutMs: number;
  escalation?: EscalationEvidence;
}

/**
 * Every Human approval waiting across runs, oldest first: workflow, run, node, instructions, how long
 * it has waited, and the approve / reject form inline. Polls every few seconds.
 */
export function ApprovalsInbox() {
  const waitingRuns = useRuns({ status: ["waiting"], limit: 200 }, { refetchInterval: 3000 });
  const workflows = useWorkflows();
  const details = useQueries({
    queries: (waitingRuns.data?.runs ?? []).map((r) => ({ queryKey: runKeys.detail(r.id), queryFn: () => runApi.get(r.id), refetchInterval: 3000 })),
  });
  const names = useMemo(() => new Map((workflows.data ?? []).map((w) => [w.id, w.name])), [workflows.data]);
  const items: Waiting[] = [];
  for (const d of details) {
    const run = d.data;
    if (!run || run.status !== "waiting") continue;
    for (const w of run.waitingFor) {
      items.push({
        runId: run.id,
        workflowId: run.workflowId,
        nodeId: typeof w.nodeId === "string" ? w.nodeId : "",
        ...(typeof w.interruptId === "string" ? { interruptId: w.interruptId } : {}),
        ...(typeof w.itemIndex === "number" ? { itemIndex: w.itemIndex } : {}),
        instructions: typeof w.instructions === "string" ? w.instructions : "",
        editableFields: (w.editableFields as string[] | undefined) ?? [],
        values: (w.values as Record<string, unknown> | undefined) ?? {},
        since: typeof w.ts === "number" ? w.ts : null,
        timeoutMs: typeof w.timeoutMs === "number" ? w.timeoutMs : 0,
        ...escalationOf(w),
      });
    }
  }
  items.sort((a, b) => (a.since ?? 0) - (b.since ?? 0));
  const loading = waitingRuns.isLoading || details.some((d) => d.isLoading);

  return (
    <div className="h-full overflow-auto bg-bg">
      <div className="mx-auto max-w-4xl space-y-4 p-6">
        <div className="flex items-center gap-3">
          <Hand size={20} className="text-[var(--run-waiting)]" aria-hidden />
          <h1 className="text-lg font-semibold">Approvals</h1>
          <span className="rounded-full bg-panel-2 px-2 py-0.5 text-xs text-muted" data-testid="approvals-count">
            {items.length} waiting
          </span>
          {loading && <Loader2 size={14} className="animate-spin text-muted" />}
        </div>
        {waitingRuns.error && <p className="text-sm text-danger">Could not load: {waitingRuns.error.message}</p>}
        {!loading && items.length === 0 && (
          <div
            className="flex flex-col items-center gap-2 rounded-xl border border-dashed border-border bg-panel p-10 text-sm text-muted"
            data-testid="approvals-empty"
          >
            <Inbox size={24} aria-hidden />
            Nothing is waiting for an approval.
          </div>
        )}
        <ul className="space-y-3" data-testid="approvals-list">
          {items.map((it) => (
            <li
              key={`${it.runId}:${it.nodeId}:${it.interruptId ?? ""}`}
              className="rounded-xl border border-border bg-panel p-4"
              data-testid={`approval-item-${it.runId}-${it.nodeId}`}
              data-interrupt-id={it.interruptId}
            >
              <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1 text-xs">
                <Link
                  href={`/workflows/${encodeURIComponent(it.workflowId)}?run=${encodeURIComponent(it.runId)}`}
                  className="text-sm font-semibold hover:underline"
                >
                  {names.get(it.workflowId) ?? it.workflowId}
                </Link>
                <span className="text-muted">
                  node <span className="font-mono text-fg">{it.nodeId}</span>
                  {it.itemIndex !== undefined && <> · item {it.itemIndex + 1}</>}
                </span>
                <Link href={`/runs/${encodeURIComponent(it.runId)}`} className="font-mono text-accent hover:underline">
                  {it.runId}
                </Link>
                <span className="ml-auto text-muted" title={it.since ? formatDateTime(it.since) : undefined}>
                  asked {it.since ? formatRelativeTime(it.since) : "—"}
                  {it.timeoutMs > 0 && it.since ? ` · auto-rejects at ${formatTimeOfDay(it.since + it.timeoutMs)}` : ""}
                </span>
              </div>
              <ApprovalForm
                request={{
                  runId: it.runId,
                  nodeId: it.nodeId,
                  interruptId: it.interruptId,
                  instructions: it.instructions,
                  editableFields: it.editableFields,
                  values: it.values,
                  escalation: it.escalation,
                }}
              />
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
