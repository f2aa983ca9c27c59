"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import {
  RoleSchema,
  type ChangePasswordBodySchema,
  type LinkInfoSchema,
  type Role,
  type SessionInfo,
  type SetupBodySchema,
  type SetupStatusSchema,
  type SignInBodySchema,
  type UseLinkBodySchema,
  type WorkspaceRef,
} from "@/lib/contracts";
import { apiFetch } from "./client";

/** Who is signed in, where, with which role; and the open-page calls around it (setup, sign-in, links). */
export type SetupStatus = z.infer<typeof SetupStatusSchema>;
export type LinkInfo = z.infer<typeof LinkInfoSchema>;

export const sessionKeys = {
  session: ["auth", "session"] as const,
  setup: ["auth", "setup"] as const,
  link: (token: string) => ["auth", "link", token] as const,
};

const link = (token: string) => `/api/access-links/${encodeURIComponent(token)}`;

export const sessionApi = {
  session: () => apiFetch<SessionInfo>("/api/auth/session"),
  setupStatus: () => apiFetch<SetupStatus>("/api/setup"),
  setup: (body: z.input<typeof SetupBodySchema>) => apiFetch<{ userId: string; workspaceId: string }>("/api/setup", { method: "POST", json: body }),
  signIn: (body: z.input<typeof SignInBodySchema>) => apiFetch<{ userId: string }>("/api/auth/sign-in", { method: "POST", json: body }),
  signOut: () => apiFetch<{ ok: true }>("/api/auth/sign-out", { method: "POST" }),
  changePassword: (body: z.input<typeof ChangePasswordBodySchema>) => apiFetch<{ ok: true }>("/api/auth/password", { method: "POST", json: body }),
  switchWorkspace: (workspaceId: string) => apiFetch<WorkspaceRef>("/api/workspaces/current", { method: "PUT", json: { workspaceId } }),
  createWorkspace: (name: string) => apiFetch<WorkspaceRef>("/api/workspaces", { method: "POST", json: { name } }),
  describeLink: (token: string) => apiFetch<LinkInfo>(link(token)),
  useLink: (token: string, body: z.input<typeof UseLinkBodySchema>) =>
    apiFetch<{ userId: string; workspaceId: string }>(link(token), { method: "POST", json: body }),
};

/**
 * The caller's session. `enabled: false` on pages that must not ask (the header on open pages); a
 * 401 there is an answer ("not signed in"), so no retries.
 */
export function useSession({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: sessionKeys.session, queryFn: sessionApi.session, enabled, staleTime: 60_000, retry: false });
}

/** True when `role` is `needed` or higher (roles are listed lowest first in the contract). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RoleSchema.options.indexOf(role) >= RoleSchema.options.indexOf(needed);
}

/** The caller's role in the current workspace, or null while unknown. */
export function useRole(): Role | null {
  return useSession().data?.workspace.role ?? null;
}

/**
 * Whether the caller may edit and run in this workspace. False while the session is loading, so a
 * viewer never sees edit buttons flash; the server refuses their writes anyway (403).
 */
export function useCanEdit(): boolean {
  const role = useRole();
  return role !== null && roleAtLeast(role, "editor");
}

/** The tooltip on controls a viewer cannot use. */
export const VIEWER_HINT = "Viewers can't edit";

/**
 * Everything cached belongs to one workspace and one user: after switching workspace or signing
 * out, start from a fresh page load at `to` (drops every query, socket room and editor draft view).
 */
export function hardNavigate(to: string): void {
  window.location.assign(to);
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: sessionApi.signOut,
    onSuccess: () => {
      qc.clear();
      hardNavigate("/sign-in");
    },
  });
}

export function useSwitchWorkspace() {
  return useMutation({ mutationFn: sessionApi.switchWorkspace, onSuccess: () => hardNavigate("/") });
}

/** Creating a workspace also switches this browser to it (the server sets the cookie). */
export function useCreateWorkspace() {
  return useMutation({ mutationFn: sessionApi.createWorkspace, onSuccess: () => hardNavigate("/") });
}

export function useChangePassword() {
  return useMutation({ mutationFn: sessionApi.changePassword });
}
