"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RunDetail, RunSummary } from "@/lib/contracts";
import type { RunEvent } from "@/lib/contracts/events";
import { apiFetch } from "./client";

export interface RunListFilter {
  workflowId?: string;
  status?: string[];
  cursor?: string;
  limit?: number;
}

/** Query keys in one place so invalidation cannot drift from the queries. */
export const runKeys = {
  all: ["runs"] as const,
  lists: () => [...runKeys.all, "list"] as const,
  list: (f: RunListFilter) => [...runKeys.lists(), f] as const,
  deadLetters: () => [...runKeys.all, "dead-letters"] as const,
  detail: (id: string) => [...runKeys.all, "detail", id] as const,
  events: (id: string) => [...runKeys.all, "events", id] as const,
};

const qs = (f: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};
const runPath = (id: string) => `/api/runs/${encodeURIComponent(id)}`;

export const runApi = {
  start: (workflowId: string, input: Record<string, unknown>, trigger: "ui" | "api" = "ui", usePinnedData = false) =>
    apiFetch<{ runId: string; status: string; position?: number }>(`/api/workflows/${encodeURIComponent(workflowId)}/runs`, {
      method: "POST",
      json: { input, trigger, usePinnedData },
    }),
  list: (f: RunListFilter) =>
    apiFetch<{ runs: RunSummary[]; nextCursor: string | null }>(
      `/api/runs${qs({ workflowId: f.workflowId, status: f.status?.join(","), cursor: f.cursor, limit: f.limit })}`,
    ),
  deadLetters: (cursor?: string) => apiFetch<{ runs: RunSummary[]; nextCursor: string | null }>(`/api/dead-letters${qs({ cursor })}`),
  get: (id: string) => apiFetch<RunDetail>(runPath(id)),
  events: (id: string, after = -1, limit = 1000) =>
    apiFetch<{ events: RunEvent[]; lastSeq: number; hasMore: boolean }>(`${runPath(id)}/events${qs({ after, limit })}`),
  cancel: (id: string) => apiFetch<unknown>(`${runPath(id)}/cancel`, { method: "POST", json: {} }),
  resume: (id: string) => apiFetch<unknown>(`${runPath(id)}/resume`, { method: "POST", json: {} }),
  retry: (id: string) => apiFetch<{ runId: string }>(`${runPath(id)}/retry`, { method: "POST", json: {} }),
  approve: (id: string, nodeId: string, body: { approved: boolean; comment?: string; values?: Record<string, unknown>; interruptId?: string }) =>
    apiFetch<unknown>(`${runPath(id)}/approvals/${encodeURIComponent(nodeId)}`, { method: "POST", json: body }),
};

export function useRuns(filter: RunListFilter, options: { refetchInterval?: number } = {}) {
  return useQuery({ queryKey: runKeys.list(filter), queryFn: () => runApi.list(filter), ...options });
}

export function useDeadLetters() {
  return useQuery({ queryKey: runKeys.deadLetters(), queryFn: () => runApi.deadLetters() });
}

export function useRun(id: string | null | undefined) {
  return useQuery({ queryKey: runKeys.detail(id ?? ""), queryFn: () => runApi.get(id!), enabled: !!id });
}

/** Every run mutation leaves lists and that run's detail stale. */
function useRunWritten() {
  const qc = useQueryClient();
  return (runId?: string) => {
    void qc.invalidateQueries({ queryKey: runKeys.lists() });
    void qc.invalidateQueries({ queryKey: runKeys.deadLetters() });
    if (runId) void qc.invalidateQueries({ queryKey: runKeys.detail(runId) });
  };
}

export function useStartRun(workflowId: string) {
  const written = useRunWritten();
  // The editor's Run is a development run: pinned nodes use their pinned output instead of executing.
  return useMutation({ mutationFn: (input: Record<string, unknown>) => runApi.start(workflowId, input, "ui", true), onSuccess: (r) => written(r.runId) });
}

export function useCancelRun() {
  const written = useRunWritten();
  return useMutation({ mutationFn: runApi.cancel, onSuccess: (_r, id) => written(id) });
}

export function useResumeRun() {
  const written = useRunWritten();
  return useMutation({ mutationFn: runApi.resume, onSuccess: (_r, id) => written(id) });
}

export function useRetryRun() {
  const written = useRunWritten();
  return useMutation({
    mutationFn: runApi.retry,
    onSuccess: (r, id) => {
      written(id);
      written(r.runId);
    },
  });
}

export function useAnswerApproval() {
  const written = useRunWritten();
  return useMutation({
    mutationFn: (a: { runId: string; nodeId: string; interruptId?: string; approved: boolean; comment?: string; values?: Record<string, unknown> }) =>
      runApi.approve(a.runId, a.nodeId, {
        approved: a.approved,
        comment: a.comment,
        values: a.values,
        ...(a.interruptId ? { interruptId: a.interruptId } : {}),
      }),
    onSuccess: (_r, a) => written(a.runId),
  });
}
