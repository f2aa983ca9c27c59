"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { WorkflowDocument } from "@/lib/workflow";
import type { VersionSummary, WorkflowDetail, WorkflowSummary } from "@/lib/contracts";
import { apiFetch } from "./client";

/** Query keys in one place so invalidation cannot drift from the queries. */
export const workflowKeys = {
  all: ["workflows"] as const,
  list: () => [...workflowKeys.all, "list"] as const,
  detail: (id: string) => [...workflowKeys.all, "detail", id] as const,
  versions: (id: string) => [...workflowKeys.all, "versions", id] as const,
  version: (id: string, version: number) => [...workflowKeys.all, "versions", id, version] as const,
};

export const workflowApi = {
  list: () => apiFetch<{ workflows: WorkflowSummary[] }>("/api/workflows").then((r) => r.workflows),
  get: (id: string) => apiFetch<WorkflowDetail>(`/api/workflows/${encodeURIComponent(id)}`),
  create: (body: { name?: string; document?: unknown }) => apiFetch<WorkflowDetail>("/api/workflows", { method: "POST", json: body }),
  save: (id: string, body: { baseVersion: number; document: WorkflowDocument; force?: boolean }) =>
    apiFetch<WorkflowDetail>(`/api/workflows/${encodeURIComponent(id)}`, { method: "PUT", json: body }),
  rename: (id: string, name: string) => apiFetch<WorkflowDetail>(`/api/workflows/${encodeURIComponent(id)}`, { method: "PUT", json: { name } }),
  remove: (id: string) => apiFetch<{ ok: true }>(`/api/workflows/${encodeURIComponent(id)}`, { method: "DELETE" }),
  versions: (id: string) => apiFetch<{ versions: VersionSummary[] }>(`/api/workflows/${encodeURIComponent(id)}/versions`).then((r) => r.versions),
  version: (id: string, version: number) => apiFetch<WorkflowDetail>(`/api/workflows/${encodeURIComponent(id)}/versions/${version}`),
  restore: (id: string, version: number) =>
    apiFetch<WorkflowDetail>(`/api/workflows/${encodeURIComponent(id)}/versions/${version}/restore`, { method: "POST" }),
  import: (document: unknown) => apiFetch<{ id: string; name: string }>("/api/workflows/import", { method: "POST", json: document }),
  exportUrl: (id: string) => `/api/workflows/${encodeURIComponent(id)}/export`,
};

export function useWorkflows() {
  return useQuery({ queryKey: workflowKeys.list(), queryFn: workflowApi.list });
}

export function useWorkflow(id: string) {
  return useQuery({ queryKey: workflowKeys.detail(id), queryFn: () => workflowApi.get(id), staleTime: Infinity });
}

export function useWorkflowVersions(id: string, enabled = true) {
  return useQuery({ queryKey: workflowKeys.versions(id), queryFn: () => workflowApi.versions(id), enabled });
}

/** After any write the list and the workflow's versions are stale; the detail is replaced by the answer. */
function useOnWorkflowWritten() {
  const qc = useQueryClient();
  return (detail?: WorkflowDetail) => {
    if (detail) qc.setQueryData(workflowKeys.detail(detail.id), detail);
    void qc.invalidateQueries({ queryKey: workflowKeys.list() });
    if (detail) void qc.invalidateQueries({ queryKey: workflowKeys.versions(detail.id) });
  };
}

export function useCreateWorkflow() {
  const written = useOnWorkflowWritten();
  return useMutation({ mutationFn: workflowApi.create, onSuccess: written });
}

export function useSaveWorkflow(id: string) {
  const written = useOnWorkflowWritten();
  return useMutation({
    mutationFn: (body: { baseVersion: number; document: WorkflowDocument; force?: boolean }) => workflowApi.save(id, body),
    onSuccess: written,
  });
}

export function useRenameWorkflow() {
  const written = useOnWorkflowWritten();
  return useMutation({ mutationFn: ({ id, name }: { id: string; name: string }) => workflowApi.rename(id, name), onSuccess: written });
}

export function useDeleteWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: workflowApi.remove,
    onSuccess: (_r, id) => {
      qc.removeQueries({ queryKey: workflowKeys.detail(id) });
      void qc.invalidateQueries({ queryKey: workflowKeys.list() });
    },
  });
}

export function useRestoreVersion(id: string) {
  const written = useOnWorkflowWritten();
  return useMutation({ mutationFn: (version: number) => workflowApi.restore(id, version), onSuccess: written });
}

export function useImportWorkflow() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: workflowApi.import, onSuccess: () => void qc.invalidateQueries({ queryKey: workflowKeys.list() }) });
}
