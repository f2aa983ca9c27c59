"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditAction, AuditPage } from "@/lib/contracts/audit-api";
import { apiFetch } from "./client";

/** What the admin page filters the audit log by. */
export interface AuditFilter {
  action?: AuditAction;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
}

export const auditKeys = {
  all: ["audit"] as const,
  list: (f: AuditFilter) => [...auditKeys.all, "list", f] as const,
};

function auditPath(f: AuditFilter, cursor: string | undefined): string {
  const p = new URLSearchParams();
  if (f.action) p.set("action", f.action);
  if (f.from !== undefined) p.set("from", String(f.from));
  if (f.to !== undefined) p.set("to", String(f.to));
  if (cursor) p.set("cursor", cursor);
  p.set("limit", "50");
  return `/api/audit?${p.toString()}`;
}

/** GET /api/audit, newest first, page after page ("load more" fetches the next cursor). */
export function useAuditLog(f: AuditFilter) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(f),
    queryFn: ({ pageParam }) => apiFetch<AuditPage>(auditPath(f, pageParam || undefined)),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
