"use client";

import Link from "next/link";
import { Copy, Download, Pencil, Trash2, Workflow as WorkflowIcon } from "lucide-react";
import type { WorkflowSummary } from "@/lib/contracts";
import { workflowApi } from "@/lib/api/workflows";
import { cn } from "@/components/ui/cn";
import { formatDateTime, formatRelativeTime } from "@/components/ui/format-time";

export interface WorkflowTableProps {
  workflows: WorkflowSummary[];
  now: number;
  busyId: string | null;
  /** A viewer's list: export only (no rename, duplicate or delete). */
  readOnly?: boolean;
  onRename: (w: WorkflowSummary) => void;
  onDuplicate: (w: WorkflowSummary) => void;
  onDelete: (w: WorkflowSummary) => void;
}

const iconButton =
  "inline-flex h-8 w-8 items-center justify-center rounded-md text-muted transition-colors hover:bg-panel-2 hover:text-fg focus-visible:outline-2 focus-visible:outline-accent disabled:pointer-events-none disabled:opacity-40";

/** The workflow list: one row per workflow with its stats and actions. Every label is rendered as text. */
export function WorkflowTable({ workflows, now, busyId, readOnly, onRename, onDuplicate, onDelete }: WorkflowTableProps) {
  return (
    <div className="overflow-hidden rounded-xl border border-border bg-panel shadow-sm">
      <table className="w-full table-fixed text-sm" data-testid="workflow-table">
        <colgroup>
          <col />
          <col className="hidden w-20 sm:table-column" />
          <col className="hidden w-24 md:table-column" />
          <col className="w-36" />
          <col className="hidden w-28 md:table-column" />
          <col className="w-44" />
        </colgroup>
        <thead>
          <tr className="border-b border-border bg-panel-2/60 text-left text-xs font-medium uppercase tracking-wide text-muted">
            <th className="px-4 py-2.5 font-medium">Name</th>
            <th className="hidden px-3 py-2.5 text-right font-medium sm:table-cell">Nodes</th>
            <th className="hidden px-3 py-2.5 font-medium md:table-cell">Version</th>
            <th className="px-3 py-2.5 font-medium">Updated</th>
            <th className="hidden px-3 py-2.5 font-medium md:table-cell">Last run</th>
            <th className="px-3 py-2.5">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {workflows.map((w) => (
            <tr
              key={w.id}
              data-testid="workflow-row"
              data-workflow-id={w.id}
              className={cn("group border-b border-border last:border-0 transition-colors hover:bg-panel-2/50", busyId === w.id && "opacity-60")}
            >
              <td className="px-4 py-3">
                <Link
                  href={`/workflows/${encodeURIComponent(w.id)}`}
                  className="flex min-w-0 items-center gap-3"
                  data-testid="open-workflow"
                  aria-label={`Open ${w.name}`}
                >
                  <span className="flex h-8 w-8 shrink-0 items-center justify-center rounded-lg bg-accent/10 text-accent">
                    <WorkflowIcon size={16} />
                  </span>
                  <span className="min-w-0">
                    <span className="block truncate font-medium group-hover:text-accent" data-testid="workflow-name">
                      {w.name}
                    </span>
                    {w.description && <span className="block truncate text-xs text-muted">{w.description}</span>}
                  </span>
                </Link>
              </td>
              <td className="hidden px-3 py-3 text-right tabular-nums sm:table-cell" data-testid="workflow-node-count">
                {w.nodeCount}
              </td>
              <td className="hidden px-3 py-3 md:table-cell">
                <span className="rounded-md bg-panel-2 px-1.5 py-0.5 font-mono text-xs text-muted" data-testid="workflow-version">
                  v{w.version}
                </span>
              </td>
              <td className="whitespace-nowrap px-3 py-3 text-muted" title={formatDateTime(w.updatedAt)} data-testid="workflow-updated">
                {formatRelativeTime(w.updatedAt, now)}
              </td>
              <td className="hidden px-3 py-3 text-muted md:table-cell" data-testid="workflow-last-run">
                {w.lastRunStatus ?? "—"}
              </td>
              <td className="px-3 py-3">
                <div className="flex justify-end gap-0.5">
                  {!readOnly && (
                    <button
                      type="button"
                      className={iconButton}
                      onClick={() => onRename(w)}
                      aria-label={`Rename ${w.name}`}
                      title="Rename"
                      data-testid="rename-workflow"
                      disabled={busyId === w.id}
                    >
                      <Pencil size={15} />
                    </button>
                  )}
                  {!readOnly && (
                    <button
                      type="button"
                      className={iconButton}
                      onClick={() => onDuplicate(w)}
                      aria-label={`Duplicate ${w.name}`}
                      title="Duplicate"
                      data-testid="duplicate-workflow"
                      disabled={busyId === w.id}
                    >
                      <Copy size={15} />
                    </button>
                  )}
                  <a
                    className={iconButton}
                    href={workflowApi.exportUrl(w.id)}
                    download
                    aria-label={`Export ${w.name}`}
                    title="Export as .aura.json"
                    data-testid="export-workflow"
                  >
                    <Download size={15} />
                  </a>
                  {!readOnly && (
                    <button
                      type="button"
                      className={cn(iconButton, "hover:bg-danger/10 hover:text-danger")}
                      onClick={() => onDelete(w)}
                      aria-label={`Delete ${w.name}`}
                      title="Delete"
                      data-testid="delete-workflow"
                      disabled={busyId === w.id}
                    >
                      <Trash2 size={15} />
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
