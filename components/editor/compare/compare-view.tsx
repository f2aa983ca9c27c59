"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { Eye, GitCompare, Loader2, RotateCcw, X } from "lucide-react";
import { compareElements, type CompareFlowEdge, type CompareFlowNode } from "@/lib/editor/compare-elements";
import { selectDirty, useEditor, useEditorStoreApi } from "@/lib/editor";
import type { WorkflowDiff, WorkflowDocument } from "@/lib/workflow";
import { Button } from "@/components/ui/button";
import { isTypingTarget } from "../use-editor-keyboard";
import { ChangeList } from "./change-list";
import { CompareCanvas } from "./compare-canvas";
import { FocusedNodeContext } from "./compare-node";
import { refLabel, type CompareSession } from "./compare-session";
import { useCompareDocuments } from "./use-compare-documents";
import { useRestoreFlow } from "./use-restore-flow";
import "./compare.css";

/**
 * The compare view over the canvas: both documents of a session drawn as one read-only graph
 * (added green, removed red ghosts from the `from` document, changed or moved amber), the change
 * list beside it, and Restore. While it is open the editor store is read-only, so nothing on screen
 * (palette, toolbar, shortcuts) can edit the document; closing it returns to the editable document.
 */
export function CompareView({ workflowId, session, onClose }: { workflowId: string; session: CompareSession; onClose: () => void }) {
  const store = useEditorStoreApi();
  useEffect(() => {
    // Back to what it was: a viewer's editor stays read-only after the preview.
    const before = store.getState().readOnly;
    store.getState().setReadOnly(true);
    return () => store.getState().setReadOnly(before);
  }, [store]);

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || isTypingTarget(e.target) || document.querySelector("dialog[open]")) return;
      onClose();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onClose]);

  const { from, to, diff, error } = useCompareDocuments(workflowId, session);
  return (
    <div className="absolute inset-0 z-20 flex flex-col bg-bg" data-testid="compare-view" data-preview={session.preview || undefined}>
      <CompareHeader workflowId={workflowId} session={session} diff={diff} onClose={onClose} />
      <div className="relative flex min-h-0 flex-1">
        {error ? (
          <p className="p-6 text-sm text-danger" role="alert" data-testid="compare-error">
            Could not load the versions to compare: {error.message}
          </p>
        ) : from && to && diff ? (
          // Its own React Flow store: the editor's canvas (and its viewport) stay as they were.
          // Keyed by the pair so another pair opens fitted anew.
          <ReactFlowProvider key={`${session.from}-${session.to}`}>
            <CompareGraph from={from} to={to} diff={diff} />
          </ReactFlowProvider>
        ) : (
          <p className="flex items-center gap-2 p-6 text-sm text-muted">
            <Loader2 size={14} className="animate-spin" /> Loading versions…
          </p>
        )}
      </div>
    </div>
  );
}

function CompareHeader({ workflowId, session, diff, onClose }: { workflowId: string; session: CompareSession; diff?: WorkflowDiff; onClose: () => void }) {
  const dirty = useEditor(selectDirty);
  const current = useEditor((s) => s.baseVersion);
  const { request, pending, dialog } = useRestoreFlow(workflowId, onClose);
  // Restoring the version the editor already holds, unchanged, would only add a copy.
  const restorable = [session.to, session.from].filter((v): v is number => typeof v === "number" && (v !== current || dirty));
  const count = (k: "added" | "removed" | "changed") => (diff ? diff.nodes[k].length : 0);
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-border bg-panel px-3 py-2 text-sm" data-testid="compare-header">
      {session.preview ? <Eye size={15} className="text-accent" aria-hidden /> : <GitCompare size={15} className="text-accent" aria-hidden />}
      <span className="font-semibold" data-testid="compare-title">
        {session.preview ? `Preview of ${refLabel(session.to, dirty)}` : `Compare ${refLabel(session.from, dirty)} → ${refLabel(session.to, dirty)}`}
      </span>
      <span className="text-xs text-muted">
        read-only{session.preview ? ` · coloured by what changes from the ${refLabel(session.from, dirty)} document` : ""}
      </span>
      <span className="flex items-center gap-2 text-xs" aria-label="Legend">
        <Chip className="bg-success" label="added" n={count("added")} />
        <Chip className="bg-danger" label="removed" n={count("removed")} />
        <Chip className="bg-warning" label="changed or moved" n={count("changed")} testId="changed" />
      </span>
      <span className="flex-1" />
      {restorable.map((v) => (
        <Button key={v} size="sm" variant="primary" disabled={pending} onClick={() => request(v)} data-testid={`compare-restore-${v}`}>
          <RotateCcw size={12} /> Restore v{v}
        </Button>
      ))}
      <Button size="sm" variant="ghost" onClick={onClose} data-testid="compare-close" aria-label="Close the compare view and return to editing">
        <X size={14} /> Back to editing
      </Button>
      {dialog}
    </div>
  );
}

function Chip({ className, label, n, testId }: { className: string; label: string; n: number; testId?: string }) {
  return (
    <span className="flex items-center gap-1 text-muted" data-testid={`compare-count-${testId ?? label}`} data-count={n}>
      <span className={`h-2.5 w-2.5 rounded-full ${className}`} aria-hidden />
      {n} {label}
    </span>
  );
}

function CompareGraph({ from, to, diff }: { from: WorkflowDocument; to: WorkflowDocument; diff: WorkflowDiff }) {
  const { nodes, edges } = useMemo(() => compareElements(from, to, diff), [from, to, diff]);
  const { getNode, setCenter, getZoom, fitView } = useReactFlow<CompareFlowNode, CompareFlowEdge>();
  const [focused, setFocused] = useState<string | null>(null);

  const focusNode = useCallback(
    (id: string) => {
      const n = getNode(id);
      if (!n) return;
      const w = n.measured?.width ?? 220;
      const h = n.measured?.height ?? 58;
      setFocused(id);
      void setCenter(n.position.x + w / 2, n.position.y + h / 2, { zoom: Math.max(getZoom(), 1), duration: 300 });
    },
    [getNode, getZoom, setCenter],
  );
  const focusEdge = useCallback(
    (source: string, target: string) => void fitView({ nodes: [{ id: source }, { id: target }], padding: 0.4, maxZoom: 1.2, duration: 300 }),
    [fitView],
  );

  return (
    <FocusedNodeContext.Provider value={focused}>
      {/* The change list has its own column so it never hides the graph it describes. */}
      <div className="w-72 shrink-0 overflow-y-auto border-r border-border bg-panel" aria-label="Changes">
        <ChangeList diff={diff} onFocusNode={focusNode} onFocusEdge={focusEdge} />
      </div>
      <div className="relative min-w-0 flex-1">
        <CompareCanvas nodes={nodes} edges={edges} padding={0.2} label="Compared workflow versions (read-only)" testId="compare-canvas" />
      </div>
    </FocusedNodeContext.Provider>
  );
}
