"use client";

import { useReactFlow } from "@xyflow/react";
import { AlertCircle, AlertTriangle, CheckCircle2, X } from "lucide-react";
import type { WorkflowIssue } from "@/lib/workflow";
import { useEditor, useEditorStoreApi } from "@/lib/editor";
import { cn } from "@/components/ui/cn";

/** Every validation issue; clicking one selects its node or edge and centres the canvas on it. */
export function ProblemsPanel({ onClose }: { onClose: () => void }) {
  const issues = useEditor((s) => s.issues);
  const store = useEditorStoreApi();
  const { getInternalNode, setCenter, getZoom } = useReactFlow();

  const reveal = (issue: WorkflowIssue) => {
    const s = store.getState();
    let nodeId = issue.nodeId;
    if (issue.edgeId) {
      const edge = s.doc.edges.find((e) => e.id === issue.edgeId);
      s.select([], [issue.edgeId]);
      nodeId = edge?.source;
    } else if (nodeId) s.select([nodeId]);
    const n = nodeId ? getInternalNode(nodeId) : undefined;
    const docNode = nodeId ? s.doc.nodes.find((x) => x.id === nodeId) : undefined;
    if (n || docNode) {
      const pos = n?.internals.positionAbsolute ?? docNode!.position;
      const w = n?.measured.width ?? 220;
      const h = n?.measured.height ?? 60;
      void setCenter(pos.x + w / 2, pos.y + h / 2, { zoom: Math.max(getZoom(), 1), duration: 300 });
    }
  };

  const errors = issues.filter((i) => i.severity === "error").length;
  return (
    <div
      className="flex max-h-72 w-[28rem] flex-col overflow-hidden rounded-xl border border-border bg-panel shadow-xl"
      role="region"
      aria-label="Problems"
      data-testid="problems-panel"
    >
      <div className="flex items-center gap-2 border-b border-border px-3 py-2">
        <span className="text-sm font-semibold">Problems</span>
        <span className="text-xs text-muted">
          {errors} error{errors === 1 ? "" : "s"}, {issues.length - errors} warning{issues.length - errors === 1 ? "" : "s"}
        </span>
        <span className="flex-1" />
        <button type="button" className="rounded p-1 text-muted hover:bg-panel-2 hover:text-fg" onClick={onClose} aria-label="Close problems">
          <X size={14} />
        </button>
      </div>
      {issues.length === 0 ? (
        <div className="flex items-center gap-2 px-3 py-4 text-sm text-success">
          <CheckCircle2 size={16} /> No problems. This workflow can run.
        </div>
      ) : (
        <ul className="min-h-0 flex-1 overflow-y-auto py-1">
          {issues.map((issue, i) => (
            <li key={i}>
              <button
                type="button"
                data-testid={`problem-${i}`}
                data-code={issue.code}
                data-node-id={issue.nodeId}
                onClick={() => reveal(issue)}
                disabled={!issue.nodeId && !issue.edgeId}
                className="flex w-full items-start gap-2 px-3 py-1.5 text-left text-xs hover:bg-panel-2 disabled:cursor-default disabled:hover:bg-transparent"
              >
                {issue.severity === "error" ? (
                  <AlertCircle size={14} className="mt-0.5 shrink-0 text-danger" aria-label="error" />
                ) : (
                  <AlertTriangle size={14} className="mt-0.5 shrink-0 text-warning" aria-label="warning" />
                )}
                <span className="min-w-0 flex-1">
                  <span className="block leading-snug">{issue.message}</span>
                  <span className={cn("font-mono text-[10px] text-muted")}>{issue.code}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
