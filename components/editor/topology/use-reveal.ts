"use client";

import { useCallback } from "react";
import { useReactFlow } from "@xyflow/react";
import { useEditorStoreApi } from "@/lib/editor";

/** Selects a node (or an edge) and centres the canvas on it, as the problems list does. */
export function useRevealElement() {
  const store = useEditorStoreApi();
  const { getInternalNode, setCenter, getZoom } = useReactFlow();
  return useCallback(
    (type: "node" | "edge", id: string) => {
      const s = store.getState();
      const centreOf = (nodeId: string) => {
        const n = getInternalNode(nodeId);
        const d = s.doc.nodes.find((x) => x.id === nodeId);
        if (!n && !d) return null;
        const pos = n?.internals.positionAbsolute ?? d!.position;
        return { x: pos.x + (n?.measured.width ?? 220) / 2, y: pos.y + (n?.measured.height ?? 60) / 2 };
      };
      let at: { x: number; y: number } | null;
      if (type === "edge") {
        const edge = s.doc.edges.find((e) => e.id === id);
        if (!edge) return;
        s.select([], [id]);
        const a = centreOf(edge.source);
        const b = centreOf(edge.target);
        at = a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : (a ?? b);
      } else {
        s.select([id]);
        at = centreOf(id);
      }
      if (at) void setCenter(at.x, at.y, { zoom: Math.max(getZoom(), 1), duration: 300 });
    },
    [store, getInternalNode, setCenter, getZoom],
  );
}
