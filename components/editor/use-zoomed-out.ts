"use client";

import { useStore } from "@xyflow/react";

/**
 * Below this zoom nodes draw a simpler body and a simpler run overlay (level of detail): a 10-13 px
 * label is 3-4 px tall there, unreadable, and drawing it for hundreds of nodes costs real frames.
 */
export const LOD_ZOOM = 0.3;
const zoomedOutSelector = (s: { transform: [number, number, number] }) => s.transform[2] < LOD_ZOOM;

/** True while the canvas is zoomed out below LOD_ZOOM; changes only when the threshold is crossed. */
export function useZoomedOut(): boolean {
  return useStore(zoomedOutSelector);
}
