"use client";

import { useQuery } from "@tanstack/react-query";
import { ApiRequestError } from "@/lib/api/client";
import { sessionApi, sessionKeys } from "@/lib/api/session";

/** What an invitation or reset link does (410 LINK_EXPIRED for expired, used or unknown links: no retry). */
export function useAccessLink(token: string) {
  const query = useQuery({ queryKey: sessionKeys.link(token), queryFn: () => sessionApi.describeLink(token), retry: false, staleTime: Infinity });
  const expired = query.error instanceof ApiRequestError && (query.error.status === 410 || query.error.status === 404);
  return { ...query, expired };
}
