"use client";

import { GitMerge, ShieldAlert } from "lucide-react";
import { heatColor, HEAT_THRESHOLDS } from "@/lib/editor/topology-visuals";

const rampVars = (theme: "light" | "dark") => Object.fromEntries([...HEAT_THRESHOLDS, 1].map((t, i) => [`--r${i}`, heatColor(t, theme)]));

/** What the overlay's colours and marks mean (a compact card in the canvas's top-left corner). */
export function TopologyLegend() {
  return (
    <div
      className="pointer-events-auto rounded-xl border border-border bg-panel/95 px-3 py-2 text-[11px] whitespace-nowrap text-muted shadow-lg backdrop-blur"
      role="note"
      aria-label="Topology legend"
      data-testid="topology-legend"
    >
      <div className="flex items-center gap-2">
        <span className="font-medium text-fg">Heat</span>
        <span>calm</span>
        <span className="topo-ramp block h-2 w-32 rounded-full dark:hidden" style={rampVars("light")} />
        <span className="topo-ramp hidden h-2 w-32 rounded-full dark:block" style={rampVars("dark")} />
        <span>bottleneck</span>
      </div>
      <div className="mt-1.5 flex items-center gap-3">
        <span className="flex items-center gap-1.5" title="The longest chain of work: it sets the run time">
          <svg width="22" height="10" aria-hidden>
            <line x1="3" y1="5" x2="19" y2="5" stroke="#f97316" strokeOpacity={0.25} strokeWidth={9} strokeLinecap="round" />
            <line x1="3" y1="5" x2="19" y2="5" stroke="#f97316" strokeWidth={3} strokeLinecap="round" />
          </svg>
          Critical path
        </span>
        <span className="flex items-center gap-1" title="A step whose loss splits the workflow (articulation point)">
          <ShieldAlert size={12} className="text-rose-600 dark:text-rose-400" aria-hidden /> SPOF
        </span>
        <span className="flex items-center gap-1.5" title="The only link between two parts of the workflow">
          <svg width="10" height="10" aria-hidden>
            <rect x="1.5" y="1.5" width="7" height="7" rx="1" transform="rotate(45 5 5)" fill="#f59e0b" />
          </svg>
          Bridge
        </span>
        <span className="flex items-center gap-1" title="A join that waits for slower branches">
          <GitMerge size={12} className="text-orange-600 dark:text-orange-400" aria-hidden /> Hot join
        </span>
      </div>
    </div>
  );
}
