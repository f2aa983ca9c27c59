"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useRestoreVersion } from "@/lib/api/workflows";
import { selectDirty, useEditor, useEditorStoreApi } from "@/lib/editor";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/**
 * Restoring a version from the history list or the compare view: asks first when the editor has
 * unsaved changes, then saves the version's document as a new version and loads it. `onRestored`
 * runs before the load (the compare view closes, so the editor is editable again).
 */
export function useRestoreFlow(workflowId: string, onRestored?: () => void) {
  const restore = useRestoreVersion(workflowId);
  const store = useEditorStoreApi();
  const dirty = useEditor(selectDirty);
  const [confirm, setConfirm] = useState<number | null>(null);

  const doRestore = async (version: number) => {
    setConfirm(null);
    try {
      const detail = await restore.mutateAsync(version);
      onRestored?.();
      store.getState().load(detail.version, detail.document);
      toast.success(`Restored version ${version} as version ${detail.version}`);
    } catch (e) {
      toast.error(`Restore failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const dialog = (
    <ConfirmDialog
      open={confirm !== null}
      title="Discard unsaved changes?"
      message={`Restoring version ${confirm} replaces what is on the canvas. Your unsaved changes will be lost.`}
      confirmLabel="Restore and discard"
      danger
      onConfirm={() => confirm !== null && void doRestore(confirm)}
      onCancel={() => setConfirm(null)}
    />
  );
  return { request: (version: number) => (dirty ? setConfirm(version) : void doRestore(version)), pending: restore.isPending, dialog };
}
