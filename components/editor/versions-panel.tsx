"use client";

import { useState } from "react";
import { History, RotateCcw, X } from "lucide-react";
import { toast } from "sonner";
import { useRestoreVersion, useWorkflowVersions } from "@/lib/api/workflows";
import { selectDirty, useEditor, useEditorStoreApi } from "@/lib/editor";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { cn } from "@/components/ui/cn";

const reasonLabel = (r: string) => (r.startsWith("restore:") ? `Restored v${r.slice(8)}` : r === "save" ? "Saved" : r.charAt(0).toUpperCase() + r.slice(1));

/** Saved versions, newest first; restoring one creates a new version and loads it into the editor. */
export function VersionsPanel({ workflowId, onClose }: { workflowId: string; onClose: () => void }) {
  const { data, isLoading, error } = useWorkflowVersions(workflowId);
  const restore = useRestoreVersion(workflowId);
  const store = useEditorStoreApi();
  const current = useEditor((s) => s.baseVersion);
  const dirty = useEditor(selectDirty);
  const [confirm, setConfirm] = useState<number | null>(null);

  const doRestore = async (version: number) => {
    setConfirm(null);
    try {
      const detail = await restore.mutateAsync(version);
      store.getState().load(detail.version, detail.document);
      toast.success(`Restored version ${version} as version ${detail.version}`);
    } catch (e) {
      toast.error(`Restore failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const versions = [...(data ?? [])].sort((a, b) => b.version - a.version);

  return (
    <aside className="flex h-full w-80 shrink-0 flex-col border-l border-border bg-panel" aria-label="Version history" data-testid="versions-panel">
      <div className="flex items-center gap-2 border-b border-border px-4 py-3">
        <History size={15} className="text-muted" aria-hidden />
        <h2 className="flex-1 text-sm font-semibold">Version history</h2>
        <button type="button" className="rounded p-1 text-muted hover:bg-panel-2 hover:text-fg" onClick={onClose} aria-label="Close version history">
          <X size={15} />
        </button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-2">
        {isLoading && <p className="p-3 text-xs text-muted">Loading versions…</p>}
        {error && <p className="p-3 text-xs text-danger">Could not load versions: {error.message}</p>}
        <ol className="space-y-1">
          {versions.map((v) => (
            <li key={v.version} data-testid={`version-row-${v.version}`} className={cn("rounded-lg border p-2.5", v.version === current ? "border-accent/50 bg-accent/5" : "border-transparent hover:bg-panel-2")}>
              <div className="flex items-center gap-2">
                <span className="rounded bg-panel-2 px-1.5 py-0.5 font-mono text-[11px] font-semibold">v{v.version}</span>
                <span className="flex-1 truncate text-[13px] font-medium">{reasonLabel(v.reason)}</span>
                {v.version === current ? (
                  <span className="text-[11px] font-medium text-accent">current</span>
                ) : (
                  <Button size="sm" variant="ghost" data-testid={`restore-${v.version}`} disabled={restore.isPending} onClick={() => (dirty ? setConfirm(v.version) : void doRestore(v.version))}>
                    <RotateCcw size={12} /> Restore
                  </Button>
                )}
              </div>
              <div className="mt-1 text-[11px] text-muted">
                {new Date(v.createdAt).toLocaleString()} · {v.nodeCount} node{v.nodeCount === 1 ? "" : "s"} · {v.name}
              </div>
            </li>
          ))}
        </ol>
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title="Discard unsaved changes?"
        message={`Restoring version ${confirm} replaces what is on the canvas. Your unsaved changes will be lost.`}
        confirmLabel="Restore and discard"
        danger
        onConfirm={() => confirm !== null && void doRestore(confirm)}
        onCancel={() => setConfirm(null)}
      />
    </aside>
  );
}
