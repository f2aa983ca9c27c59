"use client";

import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RunSummary } from "@/lib/contracts";
import type { TopologyReport } from "@/lib/topology";
import { apiFetch, ApiRequestError } from "./client";
import { runApi } from "./runs";
import type { Overview } from "@/lib/contracts/stats-api";

/** Filters of the runs list (GET /api/runs). */
export interface RunsQuery {
  status?: string[];
  workflowId?: string;
  trigger?: string[];
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  q?: string;
  limit?: number;
  /** GET /api/dead-letters instead of /api/runs. */
  deadLetters?: boolean;
}

export type RunsPage = { runs: RunSummary[]; nextCursor: string | null };

export const dashboardKeys = {
  all: ["dashboard"] as const,
  runs: (q: RunsQuery) => [...dashboardKeys.all, "runs", q] as const,
  runsAll: () => [...dashboardKeys.all, "runs"] as const,
  overview: (p: OverviewParams) => [...dashboardKeys.all, "overview", p] as const,
  overviewAll: () => [...dashboardKeys.all, "overview"] as const,
  topology: (id: string, runs: number, before?: string) => [...dashboardKeys.all, "topology", id, runs, before ?? ""] as const,
};

const qs = (f: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};

function listPath(q: RunsQuery, cursor?: string) {
  return `${q.deadLetters ? "/api/dead-letters" : "/api/runs"}${qs({
    status: q.deadLetters ? undefined : q.status?.join(","),
    workflowId: q.workflowId,
    trigger: q.trigger?.join(","),
    from: q.from,
    to: q.to,
    q: q.q,
    limit: q.limit ?? 50,
    cursor,
  })}`;
}

/** The runs list, page after page (keyset cursor). */
export function useRunsList(q: RunsQuery) {
  return useInfiniteQuery({
    queryKey: dashboardKeys.runs(q),
    queryFn: ({ pageParam }) => apiFetch<RunsPage>(listPath(q, pageParam || undefined)),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export interface OverviewParams {
  /** Window length in ms, ending now. */
  rangeMs: number;
  workflowId?: string;
}

/** GET /api/stats/overview for the last `rangeMs` (the window's end moves with each refetch). */
export function useOverview(p: OverviewParams) {
  return useQuery({
    queryKey: dashboardKeys.overview(p),
    queryFn: () => {
      const to = Date.now();
      return apiFetch<Overview>(`/api/stats/overview${qs({ from: to - p.rangeMs, to, workflowId: p.workflowId })}`);
    },
    refetchInterval: 30_000,
    placeholderData: (prev) => prev,
  });
}

export type WorkflowTopology = TopologyReport & { observed: { runs: number; version: number; from: string | null; to: string | null } };

/** GET /api/workflows/:id/topology?runs=N&before= */
export function useWorkflowTopology(id: string, runs: number, before?: string, enabled = true) {
  return useQuery({
    queryKey: dashboardKeys.topology(id, runs, before),
    queryFn: () => apiFetch<WorkflowTopology>(`/api/workflows/${encodeURIComponent(id)}/topology${qs({ runs, before })}`),
    enabled,
  });
}

/** Outcome of one run in a bulk action. */
export interface BulkResult {
  runId: string;
  ok: boolean;
  /** e.g. "cancelled", "cancelling", "retried as run_…" or the error message. */
  message: string;
  newRunId?: string;
}

/**
 * Cancels or retries several runs (one request each, 4 at a time) and reports every outcome; the
 * lists and the overview refetch afterwards.
 */
export function useBulkRunAction() {
  const qc = useQueryClient();
  return async (action: "cancel" | "retry", runIds: string[]): Promise<BulkResult[]> => {
    const results = new Array<BulkResult>(runIds.length);
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= runIds.length) return;
        const runId = runIds[i];
        try {
          if (action === "cancel") {
            const r = (await runApi.cancel(runId)) as { status?: string };
            results[i] = { runId, ok: true, message: r?.status ?? "cancelled" };
          } else {
            const r = await runApi.retry(runId);
            results[i] = { runId, ok: true, message: `retried as ${r.runId}`, newRunId: r.runId };
          }
        } catch (err) {
          results[i] = { runId, ok: false, message: err instanceof ApiRequestError ? err.message : String(err) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, runIds.length) }, worker));
    void qc.invalidateQueries({ queryKey: dashboardKeys.all });
    void qc.invalidateQueries({ queryKey: ["runs"] });
    return results;
  };
}
