"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { WorkflowDocument } from "@/lib/workflow";
import type { WorkflowDetail } from "@/lib/contracts";
import { apiFetch } from "./client";
import { workflowApi, workflowKeys } from "./workflows";

/** One entry of GET /api/templates. */
export interface TemplateSummary {
  slug: string;
  name: string;
  description: string;
  nodeCount: number;
  document: WorkflowDocument;
}

export const templateKeys = { all: ["templates"] as const };

export const templateApi = {
  list: () => apiFetch<{ templates: TemplateSummary[] }>("/api/templates").then((r) => r.templates),
};

/** The templates gallery; `initialData` lets a server component hand over the list it already read. */
export function useTemplates(initialData?: TemplateSummary[]) {
  return useQuery({ queryKey: templateKeys.all, queryFn: templateApi.list, staleTime: Infinity, initialData });
}

/** Creates a new workflow from a template's document (the template's own id is not reused). */
export function useCreateFromTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (t: TemplateSummary): Promise<WorkflowDetail> => {
      const { id: _templateId, ...document } = t.document;
      return workflowApi.create({ name: t.name, document });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: workflowKeys.list() }),
  });
}

/** Duplicates a workflow: reads its latest document and creates "<name> (copy)" from it. */
export function useDuplicateWorkflow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string): Promise<WorkflowDetail> => {
      const detail = await workflowApi.get(id);
      const { id: _id, ...document } = detail.document;
      const name = `${detail.name} (copy)`;
      return workflowApi.create({ name, document: { ...document, name } });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: workflowKeys.list() }),
  });
}
