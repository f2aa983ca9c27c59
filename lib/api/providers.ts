"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ProvidersResponse, PutProvidersBody } from "@/lib/contracts/providers-api";
import { apiFetch } from "./client";

export const providerKeys = { all: ["providers"] as const };

/** The providers API: rate limits and breaker thresholds per provider / host, and the breakers' live state. */
export const providerApi = {
  get: () => apiFetch<ProvidersResponse>("/api/providers"),
  put: (body: PutProvidersBody) => apiFetch<ProvidersResponse>("/api/providers", { method: "PUT", json: body }),
};

/**
 * The workspace's provider settings and breakers, polled every `pollMs` (default 5 s) while
 * `enabled`: breakers open and close on the server as calls fail, so the dashboard and the canvas
 * badges follow them. One query key: every badge on a canvas shares one request.
 */
export function useProviders({ enabled = true, pollMs = 5_000 }: { enabled?: boolean; pollMs?: number } = {}) {
  return useQuery({ queryKey: providerKeys.all, queryFn: providerApi.get, enabled, refetchInterval: pollMs });
}

/** Saves the workspace's whole list; the answer replaces the cached one. */
export function useSaveProviders() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: providerApi.put, onSuccess: (data) => qc.setQueryData(providerKeys.all, data) });
}
