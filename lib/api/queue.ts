"use client";

import { useQuery } from "@tanstack/react-query";
import type { QueueStatus } from "@/lib/contracts/queue-api";
import { apiFetch } from "./client";

export type { QueueStatus, QueueProcess } from "@/lib/contracts/queue-api";

export const queueKeys = { status: ["queue-status"] as const };

/** GET /api/queue, refreshed every 5 s (heartbeats come every 2 s). */
export function useQueueStatus() {
  return useQuery({ queryKey: queueKeys.status, queryFn: () => apiFetch<QueueStatus>("/api/queue"), refetchInterval: 5000, placeholderData: (prev) => prev });
}
