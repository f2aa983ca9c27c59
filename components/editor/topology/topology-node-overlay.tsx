"use client";

import { memo } from "react";
import { GitMerge, Route, ShieldAlert } from "lucide-react";
import { useTopologyNode } from "@/lib/editor/topology-store";
import { HEAT_LABELS, heatVars } from "@/lib/editor/topology-visuals";

/**
 * A node's topology decoration, drawn inside the node card: heat ring (thicker on the critical path),
 * a heat meter along the bottom, a veil over calm nodes so the hot ones stand out, and badges (rank,
 * single point of failure, hot join). Reads its own state through a per-node selector.
 */
function TopologyNodeOverlayView({ id }: { id: string }) {
  const v = useTopologyNode(id);
  if (!v) return null;
  const calm = v.heat === 0 && !v.critical;
  const title = [
    `${HEAT_LABELS[v.heat]} · score ${Math.round(v.score * 100)}`,
    v.headline,
    v.critical ? "On the critical path" : null,
    v.spof ? "Single point of failure: removing it splits the workflow" : null,
    v.hotJoin ? "Hot join: waits for slower branches" : null,
  ]
    .filter(Boolean)
    .join("\n");
  return (
    <div
      className="topo-heat pointer-events-none absolute inset-0"
      style={heatVars(v.score) as React.CSSProperties}
      data-testid={`topo-node-${id}`}
      data-heat={v.heat}
      data-critical={v.critical}
      data-score={v.score}
      title={title}
    >
      {calm ? <div className="topo-veil" /> : <div className="topo-ring" data-critical={v.critical} />}
      {!calm && (
        <div className="topo-meter" aria-hidden>
          <span style={{ width: `${Math.max(4, Math.round(v.score * 100))}%` }} />
        </div>
      )}
      {(v.rank !== null || v.spof || v.hotJoin || v.critical) && (
        <div className="absolute -top-3 left-3 flex items-center gap-1">
          {v.rank !== null && (
            <span
              className="flex h-5 min-w-5 items-center justify-center rounded-full px-1.5 text-[10px] font-bold text-white shadow-sm ring-2 ring-panel"
              style={{ background: "var(--heat)" }}
              data-testid={`topo-rank-${id}`}
              aria-label={`Bottleneck number ${v.rank}`}
            >
              #{v.rank}
            </span>
          )}
          {v.critical && (
            <span
              className="flex h-5 items-center gap-0.5 rounded-full border border-border bg-panel px-1.5 text-[10px] font-semibold text-fg shadow-sm"
              data-testid={`topo-critical-${id}`}
              aria-label="On the critical path"
            >
              <Route size={10} aria-hidden style={{ color: "var(--heat)" }} />
              Critical
            </span>
          )}
          {v.spof && (
            <span
              className="flex h-5 items-center gap-0.5 rounded-full border border-rose-300 bg-rose-50 px-1.5 text-[10px] font-semibold text-rose-700 shadow-sm dark:border-rose-500/50 dark:bg-rose-950 dark:text-rose-300"
              data-testid={`topo-spof-${id}`}
              aria-label="Single point of failure"
            >
              <ShieldAlert size={10} aria-hidden />
              SPOF
            </span>
          )}
          {v.hotJoin && (
            <span
              className="flex h-5 items-center gap-0.5 rounded-full border border-orange-300 bg-orange-50 px-1.5 text-[10px] font-semibold text-orange-700 shadow-sm dark:border-orange-500/50 dark:bg-orange-950 dark:text-orange-300"
              data-testid={`topo-hotjoin-${id}`}
              aria-label="Hot join"
            >
              <GitMerge size={10} aria-hidden />
              Hot join
            </span>
          )}
        </div>
      )}
    </div>
  );
}

export const TopologyNodeOverlay = memo(TopologyNodeOverlayView);
