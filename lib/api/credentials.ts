"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreateCredentialBody, CredentialView, UpdateCredentialBody } from "@/lib/contracts";
import { apiFetch } from "./client";

export const credentialKeys = { all: ["credentials"] as const };

/** The credentials API: secrets go in with create/update and never come back. */
export const credentialApi = {
  list: () => apiFetch<{ credentials: CredentialView[] }>("/api/credentials").then((r) => r.credentials),
  create: (body: CreateCredentialBody) => apiFetch<CredentialView>("/api/credentials", { method: "POST", json: body }),
  update: (id: string, body: UpdateCredentialBody) => apiFetch<CredentialView>(`/api/credentials/${encodeURIComponent(id)}`, { method: "PUT", json: body }),
  remove: (id: string) => apiFetch<{ ok: true }>(`/api/credentials/${encodeURIComponent(id)}`, { method: "DELETE" }),
};

export function useCredentials() {
  return useQuery({ queryKey: credentialKeys.all, queryFn: credentialApi.list });
}

/** Create, update and delete, each refreshing the list afterwards. */
export function useCredentialMutations() {
  const qc = useQueryClient();
  const onSuccess = () => void qc.invalidateQueries({ queryKey: credentialKeys.all });
  return {
    create: useMutation({ mutationFn: credentialApi.create, onSuccess }),
    update: useMutation({ mutationFn: ({ id, body }: { id: string; body: UpdateCredentialBody }) => credentialApi.update(id, body), onSuccess }),
    remove: useMutation({ mutationFn: credentialApi.remove, onSuccess }),
  };
}
