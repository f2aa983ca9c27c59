"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./client";
import { runKeys } from "./runs";
import type { CheckpointList, ForkBody } from "@/lib/contracts/time-travel-api";

export type { Checkpoint, CheckpointList, ForkBody, ForkLink } from "@/lib/contracts/time-travel-api";

const runPath = (id: string) => `/api/runs/${encodeURIComponent(id)}`;

export const timeTravelKeys = {
  checkpoints: (runId: string) => [...runKeys.all, "checkpoints", runId] as const,
};

export const timeTravelApi = {
  checkpoints: (runId: string, limit = 500) => apiFetch<CheckpointList>(`${runPath(runId)}/checkpoints?limit=${limit}`),
  fork: (runId: string, body: ForkBody) => apiFetch<{ runId: string; status: string }>(`${runPath(runId)}/fork`, { method: "POST", json: body }),
};

/** The run's checkpoint history; `version` (e.g. the run's lastSeq or status) refetches when it changes. */
export function useCheckpoints(runId: string | null | undefined, version?: unknown, options: { refetchInterval?: number | false } = {}) {
  return useQuery({
    queryKey: [...timeTravelKeys.checkpoints(runId ?? ""), version],
    queryFn: () => timeTravelApi.checkpoints(runId!),
    enabled: !!runId,
    placeholderData: (prev) => prev,
    ...options,
  });
}

/** Forks a run from a checkpoint (optionally with edited state) → the new run id. */
export function useForkRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { runId: string } & ForkBody) => timeTravelApi.fork(a.runId, { checkpointId: a.checkpointId, ...(a.state ? { state: a.state } : {}) }),
    onSuccess: (_r, a) => {
      void qc.invalidateQueries({ queryKey: runKeys.lists() });
      void qc.invalidateQueries({ queryKey: timeTravelKeys.checkpoints(a.runId) });
    },
  });
}
