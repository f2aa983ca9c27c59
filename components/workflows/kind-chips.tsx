"use client";

import { getNodeKind, type WorkflowDocument } from "@/lib/workflow";

/** The distinct node kinds of a document as small coloured chips (palette order of first use). */
export function KindChips({ document, max = 6 }: { document: WorkflowDocument; max?: number }) {
  const kinds = [...new Set(document.nodes.map((n) => n.kind))].filter((k) => k !== "start" && k !== "output");
  const shown = kinds.slice(0, max);
  return (
    <div className="flex flex-wrap gap-1">
      {shown.map((k) => {
        const def = getNodeKind(k);
        const color = def?.color ?? "#64748b";
        return (
          <span
            key={k}
            className="inline-flex items-center gap-1.5 rounded-full border border-border bg-panel-2/60 px-2 py-0.5 text-[11px] font-medium text-fg/80"
          >
            <span className="h-1.5 w-1.5 rounded-full" style={{ backgroundColor: color }} />
            {def?.label ?? k}
          </span>
        );
      })}
      {kinds.length > max && <span className="px-1 text-[11px] text-muted">+{kinds.length - max}</span>}
    </div>
  );
}
