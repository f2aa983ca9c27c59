"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PruneResult, StorageReport } from "@/lib/contracts/storage-api";
import { apiFetch } from "./client";

export type { PruneResult, StorageReport } from "@/lib/contracts/storage-api";

export const storageKeys = { report: ["storage"] as const };

/** GET /api/storage, refreshed every 30 s (sizes move slowly). */
export function useStorageReport() {
  return useQuery({ queryKey: storageKeys.report, queryFn: () => apiFetch<StorageReport>("/api/storage"), refetchInterval: 30_000 });
}

/** POST /api/storage/prune (admin), then the report again. */
export function usePruneNow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<PruneResult>("/api/storage/prune", { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: storageKeys.report }),
  });
}
