"use client";

import { Database, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { usePruneNow, useStorageReport, type PruneResult } from "@/lib/api/storage";
import { formatCount, formatDays } from "./format";

/** 1.5 MB, 820 KB, 12 B. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

function pruneMessage(r: PruneResult): string {
  if (r.outcome === "skipped") return "Another server is pruning right now.";
  const freed = r.bytesBefore - r.bytesAfter;
  return `Pruned ${formatCount(r.runs)} runs in ${(r.durationMs / 1000).toFixed(1)} s${freed > 0 ? `, ${formatBytes(freed)} freed` : ""}.`;
}

/**
 * The database's storage on the runs dashboard: runs kept, size by table, the retention policy, the
 * last and next prune, and "Prune now" (an admin action; the server checks the role).
 */
export function StoragePanel() {
  const report = useStorageReport();
  const prune = usePruneNow();
  const r = report.data;
  const top = r?.tables.slice(0, 8) ?? [];
  const max = Math.max(1, ...top.map((t) => t.bytes));
  const last = r?.lastPass?.summary as { runs?: number; compactedRuns?: number; auditEntries?: number } | null | undefined;

  return (
    <section className="rounded-xl border border-border bg-panel p-4 shadow-sm" data-testid="storage-panel" aria-labelledby="storage-title">
      <header className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="storage-title" className="inline-flex items-center gap-1.5 text-sm font-semibold">
          <Database size={14} /> Storage
        </h2>
        <Button
          size="sm"
          disabled={prune.isPending || !r?.policy}
          onClick={() =>
            prune.mutate(undefined, {
              onSuccess: (res) => toast.success(pruneMessage(res)),
              onError: (e) => toast.error(`Prune failed: ${e.message}`),
            })
          }
          data-testid="prune-now"
        >
          <Trash2 size={12} /> {prune.isPending ? "Pruning…" : "Prune now"}
        </Button>
      </header>
      {report.error && !r && <p className="text-sm text-danger">Could not read storage: {report.error.message}</p>}
      {!r && !report.error && <p className="text-sm text-muted">Loading…</p>}
      {r && (
        <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)]">
          <dl className="grid grid-cols-[auto_1fr] content-start gap-x-3 gap-y-1.5 text-xs">
            <dt className="text-muted">Runs kept</dt>
            <dd data-testid="storage-runs">{formatCount(r.runs)}</dd>
            <dt className="text-muted">Database</dt>
            <dd data-testid="storage-bytes">
              {formatBytes(r.databaseBytes)} ({r.provider})
            </dd>
            <dt className="text-muted">Keeps</dt>
            <dd>
              {r.policy
                ? `${r.policy.days} days, failed ${r.policy.failedDays} days, at most ${formatCount(r.policy.maxRuns)} per workflow; step history ${r.compactAfterHours} h`
                : "—"}
            </dd>
            <dt className="text-muted">Audit log</dt>
            <dd data-testid="storage-audit">
              {r.auditPolicy ? `${formatDays(r.auditPolicy.days)}, run starts ${formatDays(r.auditPolicy.runStartDays)}` : "—"}
            </dd>
            <dt className="text-muted">Last prune</dt>
            <dd data-testid="storage-last">
              {r.lastPass
                ? `${when(r.lastPass.at)}${last ? `: ${formatCount(last.runs ?? 0)} runs removed, ${formatCount(last.compactedRuns ?? 0)} compacted, ${formatCount(last.auditEntries ?? 0)} audit entries removed` : ""}`
                : "never"}
            </dd>
            <dt className="text-muted">Next prune</dt>
            <dd data-testid="storage-next">{r.running ? "running now" : r.enabled ? when(r.nextPassAt) : "off"}</dd>
          </dl>
          <ul className="space-y-1 text-xs" aria-label="Size by table" data-testid="storage-tables">
            {top.map((t) => (
              <li key={t.table} className="grid grid-cols-[9rem_1fr_4.5rem] items-center gap-2">
                <span className="truncate font-mono" title={t.table}>
                  {t.table}
                </span>
                <span className="h-2 rounded bg-panel-2">
                  <span className="block h-2 rounded bg-accent/70" style={{ width: `${(t.bytes / max) * 100}%` }} />
                </span>
                <span className="text-right text-muted">{formatBytes(t.bytes)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {r?.configError && (
        <p role="alert" className="mt-3 text-xs text-danger">
          Retention is off: {r.configError}
        </p>
      )}
    </section>
  );
}
