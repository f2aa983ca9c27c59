"use client";

import { useEffect, useMemo } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { Check, Wand2, X } from "lucide-react";
import { toast } from "sonner";
import { compareElements } from "@/lib/editor/compare-elements";
import { useEditorStoreApi } from "@/lib/editor";
import { applyFix, cancelFix, type FixPreview } from "@/lib/editor/fix-actions";
import { useTopologyState, useTopologyStoreApi } from "@/lib/editor/topology-store";
import { diffWorkflows } from "@/lib/workflow";
import { Button } from "@/components/ui/button";
import { isTypingTarget } from "../use-editor-keyboard";
import { CompareCanvas } from "../compare/compare-canvas";

/**
 * The preview of a one-click fix over the canvas: the workflow as the fix would leave it, drawn like
 * the versions compare view (added steps and links green, removed links red ghosts, changed steps
 * amber), with what the fix does and Apply / Cancel. The editor is read-only while it shows.
 */
export function FixPreviewLayer() {
  const preview = useTopologyState((s) => s.fixPreview);
  if (!preview) return null;
  return <FixPreviewView preview={preview} />;
}

function FixPreviewView({ preview }: { preview: FixPreview }) {
  const editor = useEditorStoreApi();
  const topo = useTopologyStoreApi();
  const { fix } = preview;
  const apply = () => {
    const refused = applyFix(editor, topo);
    if (refused) toast.error(refused.message);
    else toast.success(`${fix.title}: applied. Ctrl+Z undoes it; Save makes a new version.`);
  };

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || isTypingTarget(e.target) || document.querySelector("dialog[open]")) return;
      cancelFix(editor, topo);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [editor, topo]);

  const c = fix.changes;
  return (
    <div className="absolute inset-0 z-20 flex flex-col bg-bg" data-testid="fix-preview" data-code={preview.suggestion.code}>
      <div className="flex flex-wrap items-start gap-x-3 gap-y-2 border-b border-border bg-panel px-4 py-3 text-sm">
        <span className="mt-0.5 flex h-7 w-7 shrink-0 items-center justify-center rounded-lg bg-gradient-to-br from-amber-400 to-rose-500 text-white shadow-sm">
          <Wand2 size={15} aria-hidden />
        </span>
        <div className="min-w-0 flex-1">
          <p className="font-semibold" data-testid="fix-preview-title">
            Preview: {fix.title}
          </p>
          <ul className="mt-1 space-y-0.5 text-xs text-muted" data-testid="fix-preview-details">
            {fix.details.map((d, i) => (
              <li key={i}>· {d}</li>
            ))}
          </ul>
          <p className="mt-1.5 flex flex-wrap items-center gap-3 text-xs" aria-label="Legend">
            <Legend
              className="bg-success"
              text={`${plural(c.addedNodeIds.length, "step")} · ${plural(c.addedEdgeIds.length, "link")} added`}
              n={c.addedNodeIds.length + c.addedEdgeIds.length}
              testId="added"
            />
            <Legend className="bg-danger" text={`${plural(c.removedEdgeIds.length, "link")} removed`} n={c.removedEdgeIds.length} testId="removed" />
            <Legend className="bg-warning" text={`${plural(c.changedNodeIds.length, "step")} changed`} n={c.changedNodeIds.length} testId="changed" />
            <span className="text-muted">Nothing changes until you apply; it is then one edit (Ctrl+Z undoes it).</span>
          </p>
        </div>
        <div className="flex items-center gap-2">
          <Button size="sm" variant="ghost" onClick={() => cancelFix(editor, topo)} data-testid="fix-cancel">
            <X size={14} /> Cancel
          </Button>
          <Button size="sm" variant="primary" onClick={apply} data-testid="fix-apply" autoFocus>
            <Check size={14} /> Apply
          </Button>
        </div>
      </div>
      <div className="relative min-h-0 flex-1">
        {/* Its own React Flow store: the editor's canvas and viewport stay as they were. */}
        <ReactFlowProvider>
          <PreviewGraph preview={preview} />
        </ReactFlowProvider>
      </div>
    </div>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function Legend({ className, text, n, testId }: { className: string; text: string; n: number; testId: string }) {
  return (
    <span className="flex items-center gap-1 text-muted" data-testid={`fix-count-${testId}`} data-count={n}>
      <span className={`h-2.5 w-2.5 rounded-full ${className}`} aria-hidden />
      {text}
    </span>
  );
}

function PreviewGraph({ preview }: { preview: FixPreview }) {
  const { nodes, edges } = useMemo(() => {
    const { base, fix } = preview;
    return compareElements(base, fix.doc, diffWorkflows(base, fix.doc));
  }, [preview]);
  return <CompareCanvas nodes={nodes} edges={edges} padding={0.25} label="The workflow after the fix (preview, read-only)" testId="fix-preview-canvas" />;
}
