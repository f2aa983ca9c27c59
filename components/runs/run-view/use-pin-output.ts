"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { setPin } from "@/lib/editor/document-ops";
import { workflowApi, workflowKeys } from "@/lib/api/workflows";
import type { NodePin } from "@/lib/workflow";
import type { WorkflowDetail } from "@/lib/contracts";

/**
 * Pins a node's output from the run view: the same document edit as in the editor (setPin), applied
 * to the workflow's current version and saved as a new version. Fails with a message when the node is
 * no longer in the workflow, or the save is refused (e.g. someone saved meanwhile).
 */
export function usePinOutput(workflowId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ nodeId, pin }: { nodeId: string; pin: NodePin }): Promise<WorkflowDetail> => {
      const current = await workflowApi.get(workflowId);
      const document = setPin(current.document, nodeId, pin);
      if (document === current.document) throw new Error(`Node "${nodeId}" is no longer in the workflow (version ${current.version}); nothing was pinned.`);
      return workflowApi.save(workflowId, { baseVersion: current.version, document });
    },
    onSuccess: (detail) => {
      qc.setQueryData(workflowKeys.detail(detail.id), detail);
      void qc.invalidateQueries({ queryKey: workflowKeys.versions(detail.id) });
      void qc.invalidateQueries({ queryKey: workflowKeys.list() });
    },
  });
}
