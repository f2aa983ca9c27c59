"use client";

import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { workflowApi, workflowKeys } from "@/lib/api/workflows";
import { useEditor } from "@/lib/editor";
import { diffWorkflows, type WorkflowDiff, type WorkflowDocument } from "@/lib/workflow";
import type { CompareSession, VersionRef } from "./compare-session";

/** A version's document (versions are immutable: fetched once), or the editor's document for "current". */
function useVersionDocument(workflowId: string, ref: VersionRef) {
  const current = useEditor((s) => s.doc);
  const q = useQuery({
    queryKey: workflowKeys.version(workflowId, typeof ref === "number" ? ref : 0),
    queryFn: () => workflowApi.version(workflowId, ref as number),
    enabled: ref !== "current",
    staleTime: Infinity,
  });
  if (ref === "current") return { document: current, error: null };
  return { document: q.data?.document, error: q.error };
}

export interface CompareDocuments {
  from?: WorkflowDocument;
  to?: WorkflowDocument;
  diff?: WorkflowDiff;
  error: Error | null;
}

/** Loads both sides of a session and diffs them in the browser with the same pure function as the API. */
export function useCompareDocuments(workflowId: string, session: CompareSession): CompareDocuments {
  const from = useVersionDocument(workflowId, session.from);
  const to = useVersionDocument(workflowId, session.to);
  const diff = useMemo(() => (from.document && to.document ? diffWorkflows(from.document, to.document) : undefined), [from.document, to.document]);
  return { from: from.document, to: to.document, diff, error: from.error ?? to.error };
}
