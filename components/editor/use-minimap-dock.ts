"use client";

import { useCallback, useState } from "react";
import { useStore, type ReactFlowState } from "@xyflow/react";

/** The minimap's size (smaller than React Flow's 200 × 150, so it covers less of the corner). */
export const MINIMAP_W = 150;
export const MINIMAP_H = 100;
/** React Flow's panel margin (`.react-flow__panel { margin: 15px }`). */
const PANEL_MARGIN = 15;
/** Handles stick out of a node's box; a node this close to the minimap counts as under it. */
const HANDLE_REACH = 8;
const STORAGE_KEY = "aura:minimap-collapsed";

/**
 * True while the minimap must not take the pointer: a connection or node drag is in progress, or a
 * node lies (partly) under the minimap, so a press there reaches the node and its handles instead of
 * panning the minimap. Cheap per store update: one box test per node, no allocation.
 */
function minimapBlocked(s: ReactFlowState): boolean {
  if (s.connection.inProgress) return true;
  const [tx, ty, k] = s.transform;
  const left = s.width - PANEL_MARGIN - MINIMAP_W;
  const top = s.height - PANEL_MARGIN - MINIMAP_H;
  for (const n of s.nodeLookup.values()) {
    if (n.hidden) continue;
    if (n.dragging) return true;
    const x = n.internals.positionAbsolute.x * k + tx - HANDLE_REACH;
    const y = n.internals.positionAbsolute.y * k + ty - HANDLE_REACH;
    const w = (n.measured.width ?? 0) * k + 2 * HANDLE_REACH;
    const h = (n.measured.height ?? 0) * k + 2 * HANDLE_REACH;
    if (x < left + MINIMAP_W && x + w > left && y < top + MINIMAP_H && y + h > top) return true;
  }
  return false;
}

/** The minimap's dock state: collapsed (remembered in this browser) and blocked (see minimapBlocked). */
export function useMinimapDock() {
  const [collapsed, setCollapsed] = useState(() => typeof window !== "undefined" && window.localStorage.getItem(STORAGE_KEY) === "1");
  const blocked = useStore(minimapBlocked);
  const toggle = useCallback(() => {
    setCollapsed((c) => {
      try {
        window.localStorage.setItem(STORAGE_KEY, c ? "0" : "1");
      } catch {
        // storage full or disabled: the choice lasts until reload
      }
      return !c;
    });
  }, []);
  return { collapsed, blocked, toggle };
}
