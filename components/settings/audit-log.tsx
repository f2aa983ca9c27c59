"use client";

import { useState } from "react";
import { Loader2, ScrollText } from "lucide-react";
import { AuditActionSchema, type AuditAction, type AuditEntryView } from "@/lib/contracts/audit-api";
import { useAuditLog, type AuditFilter } from "@/lib/api/audit";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { formatDateTime } from "@/components/ui/format-time";

/** A datetime-local value ("2026-12-07T10:30") as epoch ms, or undefined when empty or unreadable. */
const toMs = (value: string): number | undefined => {
  if (!value) return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : t;
};

/** The detail object as one short line ("version: 3 · force: false"); everything in it is plain text. */
function detailLine(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" · ");
}

function who(e: AuditEntryView): string {
  if (e.actorEmail) return e.actorEmail;
  if (e.actorId) return e.actorId;
  return "system";
}

/** The audit log of the workspace (admins): who did what, when and from where, newest first. */
export function AuditLog() {
  const [action, setAction] = useState<AuditAction | "">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const filter: AuditFilter = { action: action || undefined, from: toMs(from), to: toMs(to) };
  const log = useAuditLog(filter);
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];

  return (
    <div className="h-full overflow-auto bg-bg">
      <div className="mx-auto max-w-6xl space-y-4 p-6" data-testid="audit-page">
        <div className="flex items-center gap-3">
          <ScrollText size={20} className="text-muted" aria-hidden />
          <h1 className="text-lg font-semibold">Audit log</h1>
          {log.isFetching && <Loader2 size={14} className="animate-spin text-muted" aria-label="Loading" />}
        </div>

        <div className="flex flex-wrap items-end gap-3 text-sm">
          <label className="flex flex-col gap-1">
            <span className="text-xs text-muted">Action</span>
            <select
              className={cn(inputClass, "h-8 w-56")}
              value={action}
              onChange={(e) => setAction(e.target.value as AuditAction | "")}
              data-testid="audit-filter-action"
            >
              <option value="">All actions</option>
              {AuditActionSchema.options.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-muted">From</span>
            <input
              type="datetime-local"
              className={cn(inputClass, "h-8")}
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              data-testid="audit-filter-from"
            />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-muted">To</span>
            <input type="datetime-local" className={cn(inputClass, "h-8")} value={to} onChange={(e) => setTo(e.target.value)} data-testid="audit-filter-to" />
          </label>
          {(action || from || to) && (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setAction("");
                setFrom("");
                setTo("");
              }}
            >
              Clear filters
            </Button>
          )}
        </div>

        {log.error && <p className="text-sm text-danger">Could not load the audit log: {log.error.message}</p>}
        {!log.isPending && !log.error && entries.length === 0 && (
          <div className="rounded-xl border border-dashed border-border bg-panel p-10 text-center text-sm text-muted" data-testid="audit-empty">
            No entries{action || from || to ? " match these filters" : " yet"}.
          </div>
        )}
        {entries.length > 0 && (
          <div className="overflow-x-auto rounded-xl border border-border bg-panel">
            <table className="w-full text-left text-sm" data-testid="audit-table">
              <thead className="border-b border-border text-xs text-muted">
                <tr>
                  <th className="px-3 py-2 font-medium">When</th>
                  <th className="px-3 py-2 font-medium">Who</th>
                  <th className="px-3 py-2 font-medium">Action</th>
                  <th className="px-3 py-2 font-medium">Target</th>
                  <th className="px-3 py-2 font-medium">Details</th>
                  <th className="px-3 py-2 font-medium">From</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id} className="border-b border-border last:border-0 align-top" data-testid="audit-row">
                    <td className="whitespace-nowrap px-3 py-2 text-xs text-muted" title={e.createdAt}>
                      {formatDateTime(e.createdAt)}
                    </td>
                    <td className="px-3 py-2">{who(e)}</td>
                    <td className="px-3 py-2 font-mono text-xs" data-testid="audit-action">
                      {e.action}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">{e.targetId ? `${e.targetType ?? ""} ${e.targetId}` : "—"}</td>
                    <td className="max-w-md break-words px-3 py-2 text-xs text-muted">{detailLine(e.detail)}</td>
                    <td className="px-3 py-2 text-xs text-muted" title={e.userAgent ?? undefined}>
                      {e.ip ?? "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {log.hasNextPage && (
          <Button onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage} data-testid="audit-load-more">
            {log.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        )}
      </div>
    </div>
  );
}
