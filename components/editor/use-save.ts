"use client";

import { useCallback, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { ApiRequestError } from "@/lib/api/client";
import { workflowApi, workflowKeys } from "@/lib/api/workflows";
import { parseWorkflow } from "@/lib/workflow";
import type { EditorStore } from "@/lib/editor";

export interface Conflict {
  currentVersion?: number;
}

/**
 * Save with optimistic concurrency: PUT with the base version; a 409 opens the conflict dialog
 * (reload theirs / overwrite with mine / cancel), so nothing is lost silently.
 */
export function useSave(store: EditorStore) {
  const qc = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  const written = useCallback(
    (id: string) => {
      void qc.invalidateQueries({ queryKey: workflowKeys.list() });
      void qc.invalidateQueries({ queryKey: workflowKeys.versions(id) });
    },
    [qc],
  );

  const save = useCallback(
    async (force = false) => {
      const s = store.getState();
      if (saving) return;
      const doc = s.doc;
      const parsed = parseWorkflow(doc);
      if (!parsed.ok) {
        toast.error(`Cannot save: ${parsed.issues[0]?.message ?? "the document is invalid"}`);
        return;
      }
      setSaving(true);
      try {
        const detail = await workflowApi.save(s.workflowId, { baseVersion: s.baseVersion, document: doc, force });
        store.getState().markSaved(detail.version, doc);
        qc.setQueryData(workflowKeys.detail(detail.id), detail);
        written(detail.id);
        setConflict(null);
        toast.success(`Saved version ${detail.version}`);
      } catch (e) {
        if (e instanceof ApiRequestError && e.status === 409) setConflict({ currentVersion: e.currentVersion });
        else toast.error(`Save failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        setSaving(false);
      }
    },
    [store, saving, qc, written],
  );

  const reloadTheirs = useCallback(async () => {
    const s = store.getState();
    setSaving(true);
    try {
      const detail = await workflowApi.get(s.workflowId);
      store.getState().load(detail.version, detail.document);
      qc.setQueryData(workflowKeys.detail(detail.id), detail);
      setConflict(null);
      toast.success(`Loaded version ${detail.version}`);
    } catch (e) {
      toast.error(`Reload failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(false);
    }
  }, [store, qc]);

  return { save, saving, conflict, dismissConflict: () => setConflict(null), reloadTheirs, overwrite: () => save(true) };
}
