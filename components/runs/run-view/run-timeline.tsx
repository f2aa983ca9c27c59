"use client";

import { useMemo } from "react";
import type { RunEvent } from "@/lib/contracts/events";
import { formatDuration } from "@/components/editor/run/run-status";
import { buildTimeline, type BarStatus } from "./timeline";

const LANE = 14;
/** A bar never gets thinner than this, so an instant step (an Output) is still seen and clickable. */
const MIN_BAR_PX = 4;
const MAX_BARS_PER_ROW = 300;
const barTone: Record<BarStatus, string> = {
  running: "var(--run-running)",
  succeeded: "var(--run-succeeded)",
  failed: "var(--run-failed)",
  retrying: "var(--run-retrying)",
  waiting: "var(--run-waiting)",
  cancelled: "var(--run-cancelled)",
  interrupted: "var(--run-cancelled)",
};

/** The Gantt chart of node executions: retries as separate bars, parallel map items in lanes. */
export function RunTimeline({
  events,
  version,
  labels,
  onSelectNode,
  selected,
}: {
  events: readonly RunEvent[];
  version: number;
  labels: Map<string, string>;
  onSelectNode: (id: string) => void;
  selected: string | null;
}) {
  // eslint-disable-next-line react-hooks/exhaustive-deps -- events grows in place; version is what changes when it does
  const t = useMemo(() => buildTimeline(events), [events, version]);
  if (!t.bars) return <p className="p-4 text-sm text-muted">No node has run yet.</p>;
  const span = Math.max(1, t.end - t.start);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="rounded-lg border border-border bg-panel p-3" data-testid="run-timeline" data-bars={t.bars}>
      <div className="relative ml-40 h-5 text-[10px] text-muted" data-testid="timeline-axis">
        {ticks.map((f) => (
          // The first label starts at the axis start and the last ends at its end: none overflows or wraps.
          <span
            key={f}
            className={`absolute whitespace-nowrap ${f === 0 ? "" : f === 1 ? "-translate-x-full" : "-translate-x-1/2"}`}
            style={{ left: `${f * 100}%` }}
            data-testid="timeline-tick"
          >
            {formatDuration(f * span)}
          </span>
        ))}
      </div>
      <div className="max-h-[420px] overflow-auto">
        {t.rows.map((row) => (
          <div
            key={row.nodeId}
            className={`flex items-stretch border-t border-border/60 ${selected === row.nodeId ? "bg-accent/5" : ""}`}
            data-testid={`timeline-row-${row.nodeId}`}
          >
            <button
              type="button"
              className="w-40 shrink-0 truncate py-1 pr-2 text-left text-xs hover:underline"
              onClick={() => onSelectNode(row.nodeId)}
              title={row.nodeId}
            >
              {labels.get(row.nodeId) ?? row.nodeId}
              <span className="ml-1 text-[10px] text-muted">{row.bars.length > 1 ? `×${row.bars.length}` : ""}</span>
            </button>
            <div className="relative flex-1" style={{ height: row.lanes * LANE + 8 }}>
              {ticks.slice(1, -1).map((f) => (
                <span key={f} className="absolute inset-y-0 w-px bg-border/50" style={{ left: `${f * 100}%` }} />
              ))}
              {row.bars.slice(0, MAX_BARS_PER_ROW).map((b, i) => {
                const end = b.end ?? t.end;
                const left = ((b.start - t.start) / span) * 100;
                const width = ((end - b.start) / span) * 100;
                return (
                  <div
                    key={i}
                    className={`absolute rounded-sm ${b.status === "running" ? "animate-pulse" : ""}`}
                    style={{
                      left: `min(${left}%, 100% - ${MIN_BAR_PX}px)`,
                      width: `max(${width}%, ${MIN_BAR_PX}px)`,
                      top: 4 + b.lane * LANE,
                      height: LANE - 3,
                      background: barTone[b.status],
                      opacity: b.status === "cancelled" || b.status === "interrupted" ? 0.5 : 0.9,
                    }}
                    title={`${row.nodeId}${b.itemIndex !== undefined ? ` item ${b.itemIndex}` : ""} · attempt ${b.attempt} · ${b.status} · ${formatDuration(end - b.start)}${b.error ? ` · ${b.error}` : ""}`}
                    data-status={b.status}
                    data-testid="timeline-bar"
                  />
                );
              })}
              {row.bars.length > MAX_BARS_PER_ROW && (
                <span className="absolute right-1 text-[10px] text-muted">+{row.bars.length - MAX_BARS_PER_ROW} more</span>
              )}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
