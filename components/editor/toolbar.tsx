"use client";

import Link from "next/link";
import { AlertCircle, ArrowDownToLine, ArrowLeft, ChevronDown, History, Keyboard, Loader2, Maximize, Network, Redo2, Save, Undo2 } from "lucide-react";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { layoutPositions } from "@/lib/editor/layout-runner";
import { moveElements, selectDirty, setWorkflowFields, useEditor, useEditorStoreApi, type LayoutDirection } from "@/lib/editor";
import { workflowApi } from "@/lib/api/workflows";
import { Button } from "@/components/ui/button";
import { VIEWER_HINT } from "@/lib/api/session";
import { useDismiss } from "@/components/ui/use-dismiss";
import { READABLE_ZOOM, useFitAll } from "./use-fit-all";
import { cn } from "@/components/ui/cn";
import { TopologyToggle } from "./topology/topology-toggle";

export interface ToolbarProps {
  saving: boolean;
  onSave: () => void;
  problemsOpen: boolean;
  onToggleProblems: () => void;
  historyOpen: boolean;
  onToggleHistory: () => void;
  onHelp: () => void;
  /** The Run button and run picker (components/editor/run). */
  runSlot?: React.ReactNode;
  /** A viewer's editor: no Save, the name cannot be edited, a "Read only" badge says why. */
  readOnly?: boolean;
}

const fileName = (name: string) => `${name.trim().replace(/[\\/:*?"<>|]+/g, "-") || "workflow"}.aura.json`;

export function Toolbar({ saving, onSave, problemsOpen, onToggleProblems, historyOpen, onToggleHistory, onHelp, runSlot, readOnly }: ToolbarProps) {
  const store = useEditorStoreApi();
  const name = useEditor((s) => s.doc.name);
  const dirty = useEditor(selectDirty);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const version = useEditor((s) => s.baseVersion);
  const errorCount = useEditor((s) => s.issues.filter((i) => i.severity === "error").length);
  const warningCount = useEditor((s) => s.issues.length) - errorCount;
  const fitAll = useFitAll();
  const [layingOut, setLayingOut] = useState(false);
  const [layoutMenu, setLayoutMenu] = useState(false);
  const layoutMenuRef = useRef<HTMLDivElement>(null);
  useDismiss(layoutMenuRef, layoutMenu, () => setLayoutMenu(false));

  const autoLayout = async (direction: LayoutDirection) => {
    setLayoutMenu(false);
    setLayingOut(true);
    try {
      const s = store.getState();
      const doc = s.doc;
      const positions = await layoutPositions(doc, direction, s.measured);
      // One undo step; if the user edited meanwhile the new positions still apply to the nodes that exist.
      store.getState().apply((d) => moveElements(d, positions));
      // Fit, but no further out than labels can be read: a large graph scrolls instead of shrinking.
      requestAnimationFrame(() => fitAll({ minZoom: READABLE_ZOOM }));
    } catch (e) {
      toast.error(`Auto-layout failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setLayingOut(false);
    }
  };

  const exportFile = () => {
    const s = store.getState();
    const a = document.createElement("a");
    if (selectDirty(s)) {
      // Unsaved edits: export what is on the canvas, not the last saved version.
      const blob = new Blob([JSON.stringify({ ...s.doc, id: s.doc.id ?? s.workflowId }, null, 2)], { type: "application/json" });
      a.href = URL.createObjectURL(blob);
      toast.info("Exported the current (unsaved) document");
    } else a.href = workflowApi.exportUrl(s.workflowId);
    a.download = fileName(s.doc.name);
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  return (
    <div
      className="flex h-12 shrink-0 items-center gap-1 border-b border-border bg-panel px-2"
      role="toolbar"
      aria-label="Editor toolbar"
      data-testid="toolbar"
    >
      <Link href="/" className="rounded-md p-2 text-muted hover:bg-panel-2 hover:text-fg" aria-label="Back to workflows" title="Back to workflows">
        <ArrowLeft size={16} />
      </Link>
      <div className="flex min-w-0 items-center gap-2">
        <input
          aria-label="Workflow name"
          data-testid="workflow-name"
          value={name}
          readOnly={readOnly}
          title={readOnly ? VIEWER_HINT : undefined}
          maxLength={200}
          onChange={(e) => store.getState().apply((d) => setWorkflowFields(d, { name: e.target.value }), { coalesce: "wf:name" })}
          className="w-56 min-w-0 rounded-md border border-transparent bg-transparent px-2 py-1 text-sm font-semibold outline-none hover:border-border focus:border-accent focus:bg-panel"
        />
        <span
          className="rounded bg-panel-2 px-1.5 py-0.5 font-mono text-[11px] text-muted"
          data-testid="version-badge"
          title="Saved version this editor is based on"
        >
          v{version}
        </span>
        {dirty ? (
          <span className="flex items-center gap-1.5 text-xs text-warning" data-testid="dirty-marker" title="You have unsaved changes (kept as a local draft)">
            <span className="h-2 w-2 rounded-full bg-warning" /> Unsaved
          </span>
        ) : (
          <span className="text-xs text-muted" data-testid="saved-marker">
            Saved
          </span>
        )}
      </div>
      <span className="flex-1" />
      <ToolButton label="Undo" shortcut="Ctrl+Z" testId="toolbar-undo" disabled={!canUndo} onClick={() => store.getState().undo()}>
        <Undo2 size={16} />
      </ToolButton>
      <ToolButton label="Redo" shortcut="Ctrl+Shift+Z" testId="toolbar-redo" disabled={!canRedo} onClick={() => store.getState().redo()}>
        <Redo2 size={16} />
      </ToolButton>
      <Divider />
      <div className="relative flex" ref={layoutMenuRef}>
        <ToolButton label="Auto-layout (left to right)" testId="toolbar-layout" disabled={layingOut} onClick={() => void autoLayout("RIGHT")}>
          {layingOut ? <Loader2 size={16} className="animate-spin" /> : <Network size={16} className="-rotate-90" />}
        </ToolButton>
        <button
          type="button"
          aria-label="Auto-layout options"
          aria-haspopup="menu"
          aria-expanded={layoutMenu}
          data-testid="toolbar-layout-menu"
          className="rounded-md px-0.5 text-muted hover:bg-panel-2 hover:text-fg"
          onClick={() => setLayoutMenu((o) => !o)}
        >
          <ChevronDown size={12} />
        </button>
        {layoutMenu && (
          <div className="absolute top-10 left-0 z-20 w-44 rounded-lg border border-border bg-panel p-1 shadow-lg" role="menu" data-testid="layout-menu">
            <button
              type="button"
              role="menuitem"
              data-testid="layout-right"
              className="w-full rounded px-2 py-1.5 text-left text-xs hover:bg-panel-2"
              onClick={() => void autoLayout("RIGHT")}
            >
              Left to right
            </button>
            <button
              type="button"
              role="menuitem"
              data-testid="layout-down"
              className="w-full rounded px-2 py-1.5 text-left text-xs hover:bg-panel-2"
              onClick={() => void autoLayout("DOWN")}
            >
              Top to bottom
            </button>
          </div>
        )}
      </div>
      <ToolButton label="Fit view" testId="toolbar-fit" onClick={() => fitAll()}>
        <Maximize size={16} />
      </ToolButton>
      <Divider />
      <TopologyToggle />
      <Divider />
      <button
        type="button"
        onClick={onToggleProblems}
        aria-pressed={problemsOpen}
        data-testid="toolbar-problems"
        title="Problems"
        className={cn(
          "flex h-8 items-center gap-1.5 rounded-md px-2 text-xs font-medium hover:bg-panel-2",
          problemsOpen && "bg-panel-2",
          errorCount ? "text-danger" : warningCount ? "text-warning" : "text-success",
        )}
      >
        <AlertCircle size={15} />
        <span data-testid="problems-count">{errorCount + warningCount}</span>
        <span className="sr-only">problems</span>
      </button>
      <ToolButton label="Version history" testId="toolbar-history" pressed={historyOpen} onClick={onToggleHistory}>
        <History size={16} />
      </ToolButton>
      <ToolButton
        label={dirty ? "Export the current document (unsaved changes included)" : "Export saved version"}
        testId="toolbar-export"
        onClick={exportFile}
      >
        <ArrowDownToLine size={16} />
      </ToolButton>
      <ToolButton label="Keyboard shortcuts" shortcut="?" testId="toolbar-help" onClick={onHelp}>
        <Keyboard size={16} />
      </ToolButton>
      {runSlot}
      {readOnly ? (
        <span className="ml-2 rounded-md border border-border px-2 py-1 text-xs text-muted" title={VIEWER_HINT} data-testid="read-only-badge">
          Read only
        </span>
      ) : (
        <Button variant="primary" className="ml-2" onClick={onSave} disabled={saving} data-testid="toolbar-save" title="Save (Ctrl+S)">
          {saving ? <Loader2 size={14} className="animate-spin" /> : <Save size={14} />}
          Save
          <span className="ml-0.5 rounded border border-current/40 px-1 font-mono text-[10px]">⌃S</span>
        </Button>
      )}
    </div>
  );
}

function Divider() {
  return <span className="mx-1 h-5 w-px bg-border" aria-hidden />;
}

function ToolButton({
  label,
  shortcut,
  testId,
  disabled,
  pressed,
  onClick,
  children,
}: {
  label: string;
  shortcut?: string;
  testId: string;
  disabled?: boolean;
  pressed?: boolean;
  onClick: () => void;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      aria-pressed={pressed}
      title={shortcut ? `${label} (${shortcut})` : label}
      data-testid={testId}
      disabled={disabled}
      onClick={onClick}
      className={cn(
        "flex h-8 w-8 items-center justify-center rounded-md text-fg/80 hover:bg-panel-2 hover:text-fg disabled:opacity-35 disabled:hover:bg-transparent",
        pressed && "bg-panel-2 text-fg",
      )}
    >
      {children}
    </button>
  );
}
