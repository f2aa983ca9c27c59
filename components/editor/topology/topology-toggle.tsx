"use client";

import { Flame } from "lucide-react";
import { useTopologyState, useTopologyStoreApi } from "@/lib/editor/topology-store";
import { cn } from "@/components/ui/cn";

/** The toolbar's overlay switch (shortcut T). */
export function TopologyToggle() {
  const topo = useTopologyStoreApi();
  const on = useTopologyState((s) => s.enabled);
  return (
    <button
      type="button"
      aria-pressed={on}
      aria-label="Topology overlay"
      title="Topology overlay: bottlenecks, critical path, single points of failure (T)"
      data-testid="toolbar-topology"
      onClick={() => topo.getState().toggle()}
      className={cn(
        "flex h-8 items-center gap-1.5 rounded-md px-2 text-xs font-medium transition-colors",
        on ? "bg-orange-500/15 text-orange-700 ring-1 ring-orange-500/40 dark:text-orange-300" : "text-fg/80 hover:bg-panel-2 hover:text-fg",
      )}
    >
      <Flame size={15} className={on ? "text-orange-500" : undefined} />
      Topology
    </button>
  );
}
