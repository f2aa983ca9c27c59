"use client";

import { useCallback } from "react";
import { useReactFlow, useStoreApi } from "@xyflow/react";
import { documentBounds, fitViewport, NODE_HEADER_HEIGHT, NODE_WIDTH, useEditorStoreApi } from "@/lib/editor";

/** The lowest zoom at which node labels can still be read (13 px names at about 8 px). */
export const READABLE_ZOOM = 0.6;

export interface FitAllOptions {
  duration?: number;
  /**
   * Never zoom out below this. When the whole document does not fit at it, the view starts where the
   * flow starts (the left edge, level with Start) and the user scrolls for the rest.
   */
  minZoom?: number;
}

/**
 * Fits the whole document in view. React Flow's own fitView only counts measured nodes, and large
 * canvases measure only what has been in view, so the bounds come from the document instead.
 */
export function useFitAll() {
  const store = useEditorStoreApi();
  const flow = useStoreApi();
  const { setViewport } = useReactFlow();
  return useCallback(
    (options: FitAllOptions | number = {}) => {
      const { duration = 300, minZoom = 0.05 } = typeof options === "number" ? { duration: options } : options;
      const { doc, measured } = store.getState();
      const b = documentBounds(doc, measured);
      const { width, height } = flow.getState();
      if (!b || !width || !height) return;
      const start = doc.nodes.find((n) => n.kind === "start");
      const anchor = start ? { x: start.position.x + NODE_WIDTH / 2, y: start.position.y + NODE_HEADER_HEIGHT / 2 } : undefined;
      void setViewport(fitViewport(b, width, height, minZoom, anchor), { duration });
    },
    [store, flow, setViewport],
  );
}
