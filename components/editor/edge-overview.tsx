"use client";

import { memo, useMemo } from "react";
import { ViewportPortal } from "@xyflow/react";
import { useEditor } from "@/lib/editor";

/**
 * Level of detail for edges: when a large workflow is zoomed far out, every edge is drawn as one
 * SVG path instead of one React Flow edge element each (measured: drag p95 ~75 → ~50 ms with 1,000
 * nodes and 1,500 edges in view). At that zoom edges are hairlines and cannot be clicked anyway.
 */
function EdgeOverviewView() {
  const doc = useEditor((s) => s.doc);
  const measured = useEditor((s) => s.measured);
  const d = useMemo(() => {
    const box = new Map<string, { x: number; y: number; w: number; h: number }>();
    for (const n of doc.nodes) {
      const m = measured.get(n.id);
      box.set(n.id, { x: n.position.x, y: n.position.y, w: m?.width ?? 220, h: m?.height ?? 58 });
    }
    const parts: string[] = [];
    for (const e of doc.edges) {
      const s = box.get(e.source);
      const t = box.get(e.target);
      if (!s || !t) continue;
      const tools = e.sourceHandle === "tools";
      const sx = tools ? s.x + s.w / 2 : s.x + s.w;
      const sy = tools ? s.y + s.h : s.y + s.h / 2;
      parts.push(`M${sx | 0} ${sy | 0}L${t.x | 0} ${(t.y + t.h / 2) | 0}`);
    }
    return parts.join("");
  }, [doc.nodes, doc.edges, measured]);
  return (
    <ViewportPortal>
      <svg className="pointer-events-none absolute top-0 left-0 overflow-visible" width={1} height={1} aria-hidden data-testid="edge-overview">
        <path d={d} fill="none" stroke="var(--xy-edge-stroke, #94a3b8)" strokeWidth={1} vectorEffect="non-scaling-stroke" />
      </svg>
    </ViewportPortal>
  );
}

export const EdgeOverview = memo(EdgeOverviewView);
