/**
 * The run timeline (Gantt) from its events: one bar per node execution (each attempt of each map
 * item), rows per node in order of first start, overlapping executions of one node (parallel map
 * items) stacked in lanes. Pure; the component only positions the bars.
 */
import type { RunEvent } from "@/lib/contracts/events";

/** "interrupted": cut off when the process executing the run stopped; the run went on from its last checkpoint. */
export type BarStatus = "running" | "succeeded" | "failed" | "retrying" | "waiting" | "cancelled" | "interrupted";

export interface TimelineBar {
  nodeId: string;
  kind: string;
  attempt: number;
  itemIndex?: number;
  start: number;
  /** null while still executing. */
  end: number | null;
  status: BarStatus;
  /** Sub-row within the node's row (0 unless executions overlap). */
  lane: number;
  error?: string;
}

export interface TimelineRow {
  nodeId: string;
  kind: string;
  lanes: number;
  bars: TimelineBar[];
}

export interface Timeline {
  rows: TimelineRow[];
  /** The run's start and end (or `now` while it runs), widened to every execution; 0/0 without executions. */
  start: number;
  end: number;
  bars: number;
}

/** Builds the timeline; open executions extend to `now` (or to the run's end when it stopped). */
export function buildTimeline(events: readonly RunEvent[], now = Date.now()): Timeline {
  const open = new Map<string, TimelineBar>();
  const rows = new Map<string, TimelineRow>();
  const all: TimelineBar[] = [];
  let runEnd: number | null = null;
  let runStart: number | null = null;
  const key = (e: { nodeId: string; itemIndex?: number; scope?: string[] }) => `${e.nodeId}|${e.itemIndex ?? ""}`;
  const close = (bar: TimelineBar, ts: number, status: BarStatus, error?: string) => {
    bar.end = ts;
    bar.status = status;
    if (error) bar.error = error;
  };
  for (const e of events) {
    switch (e.type) {
      case "node.started": {
        if (e.scope?.length) break;
        let row = rows.get(e.nodeId);
        if (!row) rows.set(e.nodeId, (row = { nodeId: e.nodeId, kind: e.kind, lanes: 1, bars: [] }));
        const bar: TimelineBar = {
          nodeId: e.nodeId,
          kind: e.kind,
          attempt: e.attempt,
          start: e.ts,
          end: null,
          status: "running",
          lane: 0,
          ...(e.itemIndex !== undefined ? { itemIndex: e.itemIndex } : {}),
        };
        open.set(key(e), bar);
        row.bars.push(bar);
        all.push(bar);
        break;
      }
      case "node.finished":
      case "node.failed":
      case "node.retrying":
      case "node.waiting": {
        if (e.scope?.length) break;
        const bar = open.get(key(e));
        if (!bar) break;
        open.delete(key(e));
        if (e.type === "node.finished") close(bar, e.ts, "succeeded");
        else if (e.type === "node.failed") close(bar, e.ts, "failed", e.error.message);
        else if (e.type === "node.retrying") close(bar, e.ts, "retrying", e.error.message);
        else close(bar, e.ts, "waiting");
        break;
      }
      case "run.finished":
      case "run.failed":
      case "run.cancelled":
        runEnd = e.ts;
        for (const bar of open.values()) close(bar, e.ts, "cancelled");
        open.clear();
        break;
      case "run.started":
        // A resumed run starts again: its span still begins at the first start.
        runStart ??= e.ts;
        runEnd = null;
        // Executions still open were cut off (their process died or drained) and run again from the
        // checkpoint: each keeps its bar, closed where the run went on, instead of "running" forever.
        if (e.resumed) {
          for (const bar of open.values()) close(bar, e.ts, "interrupted", "the process executing the run stopped; it continued from its last checkpoint");
          open.clear();
        }
        break;
      default:
        break;
    }
  }
  // The axis covers the whole run (its start and end events), not just the node executions: the
  // engine's own work before the first and after the last node belongs to the run's duration.
  const openEnd = runEnd ?? now;
  let start = runStart ?? Infinity;
  let end = runEnd ?? -Infinity;
  for (const b of all) {
    start = Math.min(start, b.start);
    end = Math.max(end, b.end ?? openEnd);
  }
  for (const row of rows.values()) {
    // Greedy lane assignment: each bar takes the first lane free at its start.
    const laneEnds: number[] = [];
    for (const b of row.bars) {
      const s = b.start;
      let lane = laneEnds.findIndex((t) => t <= s);
      if (lane < 0) lane = laneEnds.length;
      laneEnds[lane] = b.end ?? Infinity;
      b.lane = lane;
    }
    row.lanes = Math.max(1, laneEnds.length);
  }
  return { rows: [...rows.values()], start: all.length ? start : 0, end: all.length ? end : 0, bars: all.length };
}
