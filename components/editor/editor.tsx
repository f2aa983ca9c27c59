"use client";

import { useEffect, useState } from "react";
import { History as HistoryIcon, X } from "lucide-react";
import { selectDirty, useEditor, useEditorStoreApi } from "@/lib/editor";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format-time";
import { Canvas } from "./canvas";
import { ConflictDialog } from "./conflict-dialog";
import { Inspector } from "./inspector";
import { Palette } from "./palette";
import { ProblemsPanel } from "./problems-panel";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { Toolbar } from "./toolbar";
import { useEditorKeyboard } from "./use-editor-keyboard";
import { useSave } from "./use-save";
import { VersionsPanel } from "./versions-panel";
import { CompareView } from "./compare/compare-view";
import type { CompareSession } from "./compare/compare-session";
import { RunControls } from "./run/run-controls";
import { RunLayer } from "./run/run-layer";
import { TopologyLayer } from "./topology/topology-layer";
import { workflowApi } from "@/lib/api/workflows";
import { useCanEdit, VIEWER_HINT } from "@/lib/api/session";
import { toast } from "sonner";
import "./editor.css";

/** The editor layout: toolbar, palette, canvas with overlays, inspector or version history. */
export function Editor({ serverVersion }: { serverVersion: number }) {
  const store = useEditorStoreApi();
  const workflowId = useEditor((s) => s.workflowId);
  const baseVersion = useEditor((s) => s.baseVersion);
  const { save, saving, conflict, dismissConflict, reloadTheirs, overwrite } = useSave(store);
  const [problemsOpen, setProblemsOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  // A version previewed or two compared, drawn over the canvas while the history is open.
  const [compare, setCompare] = useState<CompareSession | null>(null);
  const closeHistory = () => {
    setHistoryOpen(false);
    setCompare(null);
  };
  const [helpOpen, setHelpOpen] = useState(false);
  // A viewer's editor: no Save or Run (Ctrl+S explains instead of answering with a 403).
  const canEdit = useCanEdit();
  // The store refuses every document change while read-only (canvas drags, keyboard, paste, inspector).
  useEffect(() => store.getState().setReadOnly(!canEdit), [store, canEdit]);

  useEditorKeyboard(store, { save: () => (canEdit ? void save() : toast.info(VIEWER_HINT)), help: () => setHelpOpen(true) });

  // Keep the draft on disk when the page goes away mid-debounce, and warn before losing work.
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      store.getState().flushDraft();
      if (selectDirty(store.getState())) e.preventDefault();
    };
    const onHide = () => store.getState().flushDraft();
    window.addEventListener("beforeunload", onUnload);
    window.addEventListener("pagehide", onHide);
    return () => {
      window.removeEventListener("beforeunload", onUnload);
      window.removeEventListener("pagehide", onHide);
      store.getState().flushDraft();
    };
  }, [store]);

  return (
    <div className="flex h-full flex-col" data-testid="editor" data-workflow-id={workflowId}>
      <Toolbar
        saving={saving}
        onSave={() => void save()}
        problemsOpen={problemsOpen}
        onToggleProblems={() => setProblemsOpen((o) => !o)}
        historyOpen={historyOpen}
        onToggleHistory={() => (historyOpen ? closeHistory() : setHistoryOpen(true))}
        onHelp={() => setHelpOpen(true)}
        runSlot={<RunControls save={save} readOnly={!canEdit} />}
        readOnly={!canEdit}
      />
      <div className="flex min-h-0 flex-1">
        {/* Put away while a version is previewed or compared: nothing can be added then. */}
        {canEdit && !(historyOpen && compare) && <Palette />}
        <div className="relative min-w-0 flex-1">
          <Canvas />
          <RunLayer />
          <TopologyLayer />
          {historyOpen && compare && <CompareView workflowId={workflowId} session={compare} onClose={() => setCompare(null)} />}
          <DraftNotice serverVersion={serverVersion} />
          {problemsOpen && (
            <div className="absolute bottom-4 left-4 z-10">
              <ProblemsPanel onClose={() => setProblemsOpen(false)} />
            </div>
          )}
        </div>
        {historyOpen ? <VersionsPanel workflowId={workflowId} session={compare} onSession={setCompare} onClose={closeHistory} /> : <Inspector />}
      </div>
      <ConflictDialog
        open={!!conflict}
        baseVersion={baseVersion}
        currentVersion={conflict?.currentVersion}
        busy={saving}
        onCancel={dismissConflict}
        onReload={() => void reloadTheirs()}
        onOverwrite={() => void overwrite()}
      />
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}

function DraftNotice({ serverVersion }: { serverVersion: number }) {
  const store = useEditorStoreApi();
  const restoredAt = useEditor((s) => s.draftRestoredAt);
  const base = useEditor((s) => s.baseVersion);
  if (!restoredAt) return null;
  const discard = async () => {
    const s = store.getState();
    try {
      const detail = await workflowApi.get(s.workflowId);
      store.getState().load(detail.version, detail.document);
      toast.success("Draft discarded");
    } catch (e) {
      toast.error(`Could not load the saved version: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <div
      className="absolute top-3 left-1/2 z-10 flex -translate-x-1/2 items-center gap-3 rounded-xl border border-warning/40 bg-panel px-3 py-2 text-sm shadow-lg"
      role="status"
      data-testid="draft-notice"
    >
      <HistoryIcon size={15} className="text-warning" aria-hidden />
      <span className="whitespace-nowrap">
        Unsaved changes restored <span className="text-muted">from {formatDateTime(restoredAt)}</span>
      </span>
      {base < serverVersion && (
        <span className="text-xs whitespace-nowrap text-warning" data-testid="draft-stale">
          based on v{base}; v{serverVersion} was saved since
        </span>
      )}
      <Button size="sm" variant="ghost" onClick={() => void discard()} data-testid="draft-discard">
        Discard
      </Button>
      <button
        type="button"
        aria-label="Dismiss"
        className="rounded p-1 text-muted hover:bg-panel-2"
        onClick={() => store.getState().dismissDraftNotice()}
        data-testid="draft-dismiss"
      >
        <X size={14} />
      </button>
    </div>
  );
}
