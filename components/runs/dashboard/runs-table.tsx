"use client";

import Link from "next/link";
import type { RunSummary } from "@/lib/contracts";
import { cn } from "@/components/ui/cn";
import { formatDateTime, formatRelativeTime } from "@/components/ui/format-time";
import { formatCost, formatCount, formatDuration } from "./format";
import { StatusBadge } from "./status-badge";

export interface RunsTableProps {
  runs: RunSummary[];
  workflowNames: Map<string, string>;
  now: number;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (ids: string[], on: boolean) => void;
  /** Ids changed in the last seconds: their row flashes. */
  recent?: ReadonlySet<string>;
  /** Dead letters: show the error column wide and a retry button per row. */
  variant?: "runs" | "dead-letters";
  onRetry?: (run: RunSummary) => void;
  busyIds?: ReadonlySet<string>;
  hideWorkflow?: boolean;
}

const TRIGGER_LABEL: Record<string, string> = { ui: "Editor", api: "API", webhook: "Webhook", schedule: "Schedule", cli: "CLI", retry: "Retry", fork: "Fork" };

/** Live duration of a running run (now − start), final duration otherwise. */
function durationOf(r: RunSummary, now: number): number | null {
  if (r.durationMs != null) return r.durationMs;
  if (r.startedAt && (r.status === "running" || r.status === "waiting")) return Math.max(0, now - Date.parse(r.startedAt));
  return null;
}

/** The runs list: one row per run with status, workflow, version, trigger, start, duration and usage. */
export function RunsTable({
  runs,
  workflowNames,
  now,
  selected,
  onToggle,
  onToggleAll,
  recent,
  variant = "runs",
  onRetry,
  busyIds,
  hideWorkflow,
}: RunsTableProps) {
  const ids = runs.map((r) => r.id);
  const allOn = ids.length > 0 && ids.every((id) => selected.has(id));
  const dead = variant === "dead-letters";
  return (
    <div className="overflow-x-auto rounded-xl border border-border bg-panel shadow-sm">
      <table className="w-full min-w-[880px] text-sm" data-testid={dead ? "dead-letters-table" : "runs-table"}>
        <thead>
          <tr className="border-b border-border bg-panel-2/60 text-left text-xs font-medium uppercase tracking-wide text-muted">
            <th className="w-10 px-3 py-2.5">
              <input
                type="checkbox"
                aria-label="Select all runs on screen"
                checked={allOn}
                onChange={(e) => onToggleAll(ids, e.target.checked)}
                className="h-3.5 w-3.5 accent-[var(--color-accent)]"
              />
            </th>
            <th className="px-2 py-2.5 font-medium">Status</th>
            <th className="px-2 py-2.5 font-medium">Run</th>
            {!hideWorkflow && <th className="px-2 py-2.5 font-medium">Workflow</th>}
            {dead ? (
              <th className="px-2 py-2.5 font-medium">Error</th>
            ) : (
              <>
                <th className="px-2 py-2.5 font-medium">Trigger</th>
                <th className="px-2 py-2.5 font-medium">Started</th>
              </>
            )}
            <th className="px-2 py-2.5 text-right font-medium">Duration</th>
            {!dead && <th className="px-2 py-2.5 text-right font-medium">Tokens</th>}
            {!dead && <th className="px-3 py-2.5 text-right font-medium">Cost</th>}
            {dead && <th className="px-2 py-2.5 font-medium">Failed</th>}
            {dead && <th className="px-3 py-2.5" />}
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const name = workflowNames.get(r.workflowId) ?? r.workflowId;
            const dur = durationOf(r, now);
            return (
              <tr
                key={r.id}
                data-testid="run-row"
                data-run-id={r.id}
                data-status={r.status}
                className={cn(
                  "border-b border-border transition-colors duration-700 last:border-0 hover:bg-panel-2/50",
                  selected.has(r.id) && "bg-accent/5",
                  recent?.has(r.id) && "bg-accent/10",
                  busyIds?.has(r.id) && "opacity-60",
                )}
              >
                <td className="px-3 py-2.5">
                  <input
                    type="checkbox"
                    aria-label={`Select ${r.id}`}
                    checked={selected.has(r.id)}
                    onChange={() => onToggle(r.id)}
                    className="h-3.5 w-3.5 accent-[var(--color-accent)]"
                  />
                </td>
                <td className="px-2 py-2.5">
                  <StatusBadge status={r.status} />
                </td>
                <td className="px-2 py-2.5">
                  <Link
                    href={`/runs/${encodeURIComponent(r.id)}`}
                    className="font-mono text-xs text-fg hover:text-accent hover:underline"
                    data-testid="run-link"
                  >
                    {r.id}
                  </Link>
                  {r.attempt > 1 && <span className="ml-1.5 rounded bg-panel-2 px-1 text-[10px] text-muted">attempt {r.attempt}</span>}
                </td>
                {!hideWorkflow && (
                  <td className="max-w-[240px] px-2 py-2.5">
                    <Link
                      href={`/workflows/${encodeURIComponent(r.workflowId)}/runs`}
                      className="block truncate font-medium hover:text-accent"
                      title={name}
                      data-testid="run-workflow"
                    >
                      {name}
                    </Link>
                    <span className="text-xs text-muted">v{r.workflowVersion}</span>
                  </td>
                )}
                {dead ? (
                  <td className="max-w-[360px] px-2 py-2.5">
                    <div className="truncate font-mono text-xs text-danger" title={r.error?.message}>
                      {r.error?.code ?? "RUN_FAILED"}
                    </div>
                    <div className="truncate text-xs text-muted" title={r.error?.message} data-testid="dead-letter-error">
                      {r.error?.nodeId ? <span className="font-medium text-fg">{r.error.nodeId}: </span> : null}
                      {r.error?.message ?? "The run failed."}
                    </div>
                  </td>
                ) : (
                  <>
                    <td className="px-2 py-2.5 text-muted">{TRIGGER_LABEL[r.trigger] ?? r.trigger}</td>
                    <td className="whitespace-nowrap px-2 py-2.5 text-muted" title={formatDateTime(r.startedAt ?? r.createdAt)}>
                      {formatRelativeTime(r.startedAt ?? r.createdAt, now)}
                    </td>
                  </>
                )}
                <td className="whitespace-nowrap px-2 py-2.5 text-right tabular-nums">{formatDuration(dur)}</td>
                {!dead && (
                  <td className="whitespace-nowrap px-2 py-2.5 text-right tabular-nums text-muted">
                    {r.tokens.input + r.tokens.output ? formatCount(r.tokens.input + r.tokens.output) : "—"}
                  </td>
                )}
                {!dead && <td className="whitespace-nowrap px-3 py-2.5 text-right tabular-nums text-muted">{r.costUsd ? formatCost(r.costUsd) : "—"}</td>}
                {dead && (
                  <td className="whitespace-nowrap px-2 py-2.5 text-muted" title={r.finishedAt ? formatDateTime(r.finishedAt) : ""}>
                    {r.finishedAt ? formatRelativeTime(r.finishedAt, now) : "—"}
                  </td>
                )}
                {dead && (
                  <td className="px-3 py-2.5 text-right">
                    <button
                      type="button"
                      onClick={() => onRetry?.(r)}
                      disabled={busyIds?.has(r.id)}
                      className="inline-flex h-7 items-center gap-1 rounded-md border border-border bg-panel px-2 text-xs font-medium hover:bg-panel-2 disabled:opacity-50"
                      data-testid="retry-dead-letter"
                    >
                      Retry from {r.error?.nodeId ? <span className="font-mono">{r.error.nodeId}</span> : "failed node"}
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
