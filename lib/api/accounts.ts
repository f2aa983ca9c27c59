"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  ApiTokenView,
  CreatedLinkSchema,
  CreatedTokenSchema,
  CreateInvitationBodySchema,
  CreateTokenBodySchema,
  Invitation,
  Member,
  Role,
} from "@/lib/contracts";
import { apiFetch } from "./client";

/** Settings data of the current workspace: API tokens (own), members and invitations (admin+). */
export type CreatedLink = z.infer<typeof CreatedLinkSchema>;
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;

export const accountKeys = {
  all: ["accounts"] as const,
  tokens: () => [...accountKeys.all, "tokens"] as const,
  members: () => [...accountKeys.all, "members"] as const,
  invitations: () => [...accountKeys.all, "invitations"] as const,
};

const id = (v: string) => encodeURIComponent(v);

export const accountApi = {
  tokens: () => apiFetch<{ tokens: ApiTokenView[] }>("/api/tokens").then((r) => r.tokens),
  createToken: (body: z.input<typeof CreateTokenBodySchema>) => apiFetch<CreatedToken>("/api/tokens", { method: "POST", json: body }),
  revokeToken: (tokenId: string) => apiFetch<void>(`/api/tokens/${id(tokenId)}`, { method: "DELETE" }),
  members: () => apiFetch<{ members: Member[] }>("/api/members").then((r) => r.members),
  changeRole: (userId: string, role: Role) => apiFetch<{ members: Member[] }>(`/api/members/${id(userId)}`, { method: "PATCH", json: { role } }),
  removeMember: (userId: string) => apiFetch<void>(`/api/members/${id(userId)}`, { method: "DELETE" }),
  resetAccess: (userId: string) => apiFetch<CreatedLink>(`/api/members/${id(userId)}/reset`, { method: "POST" }),
  invitations: () => apiFetch<{ invitations: Invitation[] }>("/api/invitations").then((r) => r.invitations),
  createInvitation: (body: z.input<typeof CreateInvitationBodySchema>) => apiFetch<CreatedLink>("/api/invitations", { method: "POST", json: body }),
  revokeInvitation: (invitationId: string) => apiFetch<void>(`/api/invitations/${id(invitationId)}`, { method: "DELETE" }),
};

export function useTokens() {
  return useQuery({ queryKey: accountKeys.tokens(), queryFn: accountApi.tokens });
}

export function useMembers(enabled = true) {
  return useQuery({ queryKey: accountKeys.members(), queryFn: accountApi.members, enabled });
}

export function useInvitations(enabled = true) {
  return useQuery({ queryKey: accountKeys.invitations(), queryFn: accountApi.invitations, enabled });
}

/** A mutation that refreshes one settings list when it succeeds. */
function useListMutation<A, R>(key: readonly string[], fn: (arg: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: key }) });
}

export const useCreateToken = () => useListMutation(accountKeys.tokens(), accountApi.createToken);
export const useRevokeToken = () => useListMutation(accountKeys.tokens(), accountApi.revokeToken);
export const useChangeRole = () =>
  useListMutation(accountKeys.members(), ({ userId, role }: { userId: string; role: Role }) => accountApi.changeRole(userId, role));
export const useRemoveMember = () => useListMutation(accountKeys.members(), accountApi.removeMember);
export const useResetAccess = () => useListMutation(accountKeys.members(), accountApi.resetAccess);
export const useCreateInvitation = () => useListMutation(accountKeys.invitations(), accountApi.createInvitation);
export const useRevokeInvitation = () => useListMutation(accountKeys.invitations(), accountApi.revokeInvitation);
