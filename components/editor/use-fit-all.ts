"use client";

import { useCallback } from "react";
import { useReactFlow, useStoreApi } from "@xyflow/react";
import { documentBounds, useEditorStoreApi } from "@/lib/editor";

/**
 * Fits the whole document in view. React Flow's own fitView only counts measured nodes, and large
 * canvases measure only what has been in view, so the bounds come from the document instead.
 */
export function useFitAll() {
  const store = useEditorStoreApi();
  const flow = useStoreApi();
  const { setViewport } = useReactFlow();
  return useCallback(
    (duration = 300) => {
      const { doc, measured } = store.getState();
      const b = documentBounds(doc, measured);
      const { width, height } = flow.getState();
      if (!b || !width || !height) return;
      const padding = 0.12;
      const zoom = Math.min(1, Math.max(0.05, Math.min((width * (1 - 2 * padding)) / Math.max(b.width, 1), (height * (1 - 2 * padding)) / Math.max(b.height, 1))));
      void setViewport({ x: width / 2 - (b.x + b.width / 2) * zoom, y: height / 2 - (b.y + b.height / 2) * zoom, zoom }, { duration });
    },
    [store, flow, setViewport],
  );
}
