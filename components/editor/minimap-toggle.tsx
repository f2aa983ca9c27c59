"use client";

import { Panel } from "@xyflow/react";
import { Map as MapIcon, Minus } from "lucide-react";
import { MINIMAP_H } from "./use-minimap-dock";

/** The minimap's collapse toggle: a small tab above the minimap, or alone in the corner when it is collapsed. */
export function MinimapToggle({ collapsed, onToggle }: { collapsed: boolean; onToggle: () => void }) {
  return (
    <Panel position="bottom-right" style={collapsed ? undefined : { marginBottom: 15 + MINIMAP_H + 4 }}>
      <button
        type="button"
        onClick={onToggle}
        aria-expanded={!collapsed}
        aria-label={collapsed ? "Show minimap" : "Hide minimap"}
        title={collapsed ? "Show minimap" : "Hide minimap"}
        data-testid="minimap-toggle"
        className="flex h-6 items-center gap-1 rounded-md border border-border bg-panel px-1.5 text-[11px] text-muted shadow-sm hover:bg-panel-2 hover:text-fg"
      >
        {collapsed ? <MapIcon size={12} /> : <Minus size={12} />}
        {collapsed && "Map"}
      </button>
    </Panel>
  );
}
