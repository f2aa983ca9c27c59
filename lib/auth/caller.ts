import "server-only";
import { LRUCache } from "lru-cache";
import type { Database } from "@/lib/db/client";
import * as accounts from "@/lib/db/accounts";
import type { Role, WorkspaceRef } from "@/lib/contracts";
import { getAuth } from "./better-auth";
import { clientIp, CLIENT_TLS_HEADER } from "./client-ip";
import { parseRole } from "./roles";
import { verifyToken } from "./tokens";

/** Who is calling, in which workspace, with which role. Every route and socket gets one (or none). */
export interface Caller {
  userId: string;
  email: string;
  name: string;
  workspaceId: string;
  role: Role;
  via: "session" | "token";
  tokenId?: string;
  ip: string;
  userAgent: string | null;
}

/** The cookie that remembers the workspace a browser works in (a choice, not a credential: membership is checked on every request). */
export const WORKSPACE_COOKIE = "aura-workspace";

/** Whether this request came over HTTPS (Secure cookies). */
export const isSecureRequest = (headers: Headers): boolean =>
  headers.get(CLIENT_TLS_HEADER) === "1" || (process.env.AURA_PUBLIC_URL ?? "").startsWith("https:");

// A user's memberships, briefly remembered (every request of a browser needs them).
const membershipCache = new LRUCache<string, WorkspaceRef[]>({ max: 5_000, ttl: 5_000 });

/** Forgets cached memberships (after a member or role change in this process). */
export function forgetMemberships(userId?: string): void {
  if (userId) membershipCache.delete(userId);
  else membershipCache.clear();
}

/** The workspaces of a user with their role in each (oldest first). */
export async function workspacesOf(db: Database, userId: string): Promise<WorkspaceRef[]> {
  const cached = membershipCache.get(userId);
  if (cached) return cached;
  const rows = await accounts.listMembershipsOfUser(db, userId);
  const refs = rows.map((m) => ({ id: m.workspaceId, name: m.workspace.name, role: parseRole(m.role) }));
  membershipCache.set(userId, refs);
  return refs;
}

function cookieValue(headers: Headers, name: string): string | null {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

/** The bearer token of a request, if it sends one. */
export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  const match = value && /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1] : null;
}

/**
 * Resolves the caller from `Authorization: Bearer <token>` (an API token) or the session cookie.
 * Null when neither identifies a member of some workspace. A bearer header that is not a valid token
 * is never silently ignored in favour of a cookie: it yields null.
 */
export async function resolveCaller(db: Database, headers: Headers): Promise<Caller | null> {
  const ip = clientIp(headers);
  const userAgent = headers.get("user-agent");
  const token = bearerToken(headers);
  if (token !== null || headers.has("authorization")) {
    const id = token ? await verifyToken(db, token) : null;
    return id ? { ...id, via: "token", ip, userAgent } : null;
  }
  if (!headers.get("cookie")) return null;
  const auth = await getAuth(db, isSecureRequest(headers));
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const workspaces = await workspacesOf(db, session.user.id);
  const chosen = cookieValue(headers, WORKSPACE_COOKIE);
  const workspace = workspaces.find((w) => w.id === chosen) ?? workspaces[0];
  if (!workspace) return null;
  return {
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name,
    workspaceId: workspace.id,
    role: workspace.role,
    via: "session",
    ip,
    userAgent,
  };
}
