"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { Ban, Loader2, RefreshCw, RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useBulkRunAction, useRunsList, type BulkResult, type RunsQuery } from "@/lib/api/dashboard";
import type { RunSummary } from "@/lib/contracts";
import { BulkResultsDialog } from "./bulk-results-dialog";
import { rangeMs } from "./format";
import { RunsFilters, type RunFilterState } from "./runs-filters";
import { RunsTable } from "./runs-table";

/** Re-renders every `ms` so relative times and live durations move. */
export function useNow(ms = 1000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function toRunsQuery(f: RunFilterState, extra: Partial<RunsQuery> = {}): RunsQuery {
  return {
    status: f.status.length ? [...f.status].sort() : undefined,
    workflowId: f.workflowId || undefined,
    trigger: f.trigger ? [f.trigger] : undefined,
    // Rounded to the minute, so the query key (and the cache) does not change at every render.
    from: f.range !== "all" ? Math.floor((Date.now() - rangeMs(f.range)) / 60_000) * 60_000 : undefined,
    q: f.q || undefined,
    ...extra,
  };
}

export interface RunsSectionProps {
  filters: RunFilterState;
  onFilters: (f: RunFilterState) => void;
  workflows: { id: string; name: string }[];
  recent: ReadonlySet<string>;
  deadLetters?: boolean;
  /** Fixed workflow (per-workflow page). */
  workflowId?: string;
}

const CANCELLABLE = new Set(["queued", "running", "waiting"]);
const RETRYABLE = new Set(["failed", "cancelled"]);

/** Filters, the runs table with keyset "load more", selection and bulk cancel / retry. */
export function RunsSection({ filters, onFilters, workflows, recent, deadLetters, workflowId }: RunsSectionProps) {
  const now = useNow();
  const query = useMemo(() => toRunsQuery(filters, { deadLetters, ...(workflowId ? { workflowId } : {}) }), [filters, deadLetters, workflowId]);
  const list = useRunsList(query);
  const bulk = useBulkRunAction();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<{ title: string; results: BulkResult[] } | null>(null);
  const names = useMemo(() => new Map(workflows.map((w) => [w.id, w.name])), [workflows]);
  const runs = useMemo(() => {
    // Pages can overlap after live refetches: keep the first copy of each run.
    const seen = new Set<string>();
    const out: RunSummary[] = [];
    for (const p of list.data?.pages ?? [])
      for (const r of p.runs) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        out.push(r);
      }
    return out;
  }, [list.data]);

  useEffect(() => setSelected(new Set()), [query]);

  const chosen = runs.filter((r) => selected.has(r.id));
  const canCancel = chosen.filter((r) => CANCELLABLE.has(r.status));
  const canRetry = chosen.filter((r) => RETRYABLE.has(r.status) && !r.retriedByRunId);

  const run = useCallback(
    async (action: "cancel" | "retry", ids: string[]) => {
      setBusy(new Set(ids));
      try {
        const res = await bulk(action, ids);
        setResults({ title: action === "cancel" ? "Cancel runs" : "Retry runs", results: res });
        setSelected(new Set());
      } finally {
        setBusy(new Set());
      }
    },
    [bulk],
  );

  return (
    <div className="space-y-3">
      <RunsFilters value={filters} onChange={onFilters} workflows={workflows} hideStatus={deadLetters} hideWorkflow={!!workflowId} />

      {selected.size > 0 && (
        <div className="flex flex-wrap items-center gap-2 rounded-lg border border-accent/40 bg-accent/5 px-3 py-2 text-sm" data-testid="bulk-bar">
          <span className="font-medium">{selected.size} selected</span>
          <span className="text-muted">
            · {canCancel.length} can be cancelled · {canRetry.length} can be retried
          </span>
          <div className="ml-auto flex gap-2">
            {!deadLetters && (
              <Button
                size="sm"
                onClick={() =>
                  void run(
                    "cancel",
                    canCancel.map((r) => r.id),
                  )
                }
                disabled={!canCancel.length || busy.size > 0}
                data-testid="bulk-cancel"
              >
                <Ban size={12} /> Cancel {canCancel.length || ""}
              </Button>
            )}
            <Button
              size="sm"
              variant="primary"
              onClick={() =>
                void run(
                  "retry",
                  canRetry.map((r) => r.id),
                )
              }
              disabled={!canRetry.length || busy.size > 0}
              data-testid="bulk-retry"
            >
              {busy.size ? <Loader2 size={12} className="animate-spin" /> : <RotateCcw size={12} />} Retry {canRetry.length || ""}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
              Clear
            </Button>
          </div>
        </div>
      )}

      {list.isPending && (
        <div className="overflow-hidden rounded-xl border border-border bg-panel" aria-busy="true" aria-label="Loading runs">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="flex items-center gap-4 border-b border-border px-4 py-3 last:border-0">
              <div className="h-5 w-20 animate-pulse rounded-full bg-panel-2" />
              <div className="h-3 w-40 animate-pulse rounded bg-panel-2" />
              <div className="h-3 w-32 animate-pulse rounded bg-panel-2" />
              <div className="ml-auto h-3 w-16 animate-pulse rounded bg-panel-2" />
            </div>
          ))}
        </div>
      )}
      {list.isError && (
        <div role="alert" className="flex items-center justify-between gap-3 rounded-xl border border-danger/40 bg-danger/5 px-4 py-3 text-sm">
          <span>
            <span className="font-medium text-danger">Could not load runs.</span> {list.error.message}
          </span>
          <Button size="sm" onClick={() => void list.refetch()}>
            <RefreshCw size={12} /> Retry
          </Button>
        </div>
      )}
      {list.isSuccess && runs.length === 0 && (
        <div className="rounded-xl border border-dashed border-border bg-panel px-6 py-12 text-center" data-testid="runs-empty">
          <div className="text-sm font-medium">{deadLetters ? "No dead letters" : "No runs match"}</div>
          <p className="mt-1 text-sm text-muted">
            {deadLetters
              ? "Runs that fail after all their retries land here, ready to be retried from the failed node."
              : "Start a run from a workflow, or change the filters."}
          </p>
        </div>
      )}
      {runs.length > 0 && (
        <RunsTable
          runs={runs}
          workflowNames={names}
          now={now}
          selected={selected}
          recent={recent}
          busyIds={busy}
          hideWorkflow={!!workflowId}
          variant={deadLetters ? "dead-letters" : "runs"}
          onToggle={(id) =>
            setSelected((s) => {
              const n = new Set(s);
              if (n.has(id)) n.delete(id);
              else n.add(id);
              return n;
            })
          }
          onToggleAll={(ids, on) =>
            setSelected((s) => {
              const n = new Set(s);
              for (const id of ids)
                if (on) n.add(id);
                else n.delete(id);
              return n;
            })
          }
          onRetry={(r) => void run("retry", [r.id])}
        />
      )}
      {list.hasNextPage && (
        <div className="flex justify-center">
          <Button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} data-testid="load-more">
            {list.isFetchingNextPage ? <Loader2 size={14} className="animate-spin" /> : null} Load more
          </Button>
        </div>
      )}
      <BulkResultsDialog title={results?.title ?? ""} results={results?.results ?? null} onClose={() => setResults(null)} />
    </div>
  );
}
