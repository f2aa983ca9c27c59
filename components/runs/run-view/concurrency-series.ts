import type { RunEvent, RunEventOf } from "@/lib/contracts/events";

/** One step of an adaptive Parallel map's concurrency over the run. */
export interface ConcurrencyPoint {
  /** Seconds since the map's first concurrency event. */
  t: number;
  concurrency: number;
  reason: RunEventOf<"node.concurrency">["reason"];
  completed: number;
}

export interface ConcurrencySeries {
  points: ConcurrencyPoint[];
  min: number;
  max: number;
  /** The highest and lowest limit it used. */
  peak: number;
  low: number;
  increases: number;
  decreases: number;
}

/**
 * The concurrency an adaptive Parallel map used over time, from its `node.concurrency` events (top
 * level only: a map inside another map's items or a sub-workflow has one series per enclosing item,
 * which the details of that node do not show). Null when the node has none (fixed mode).
 */
export function concurrencySeries(events: readonly RunEvent[], nodeId: string): ConcurrencySeries | null {
  const own = events.filter(
    (e): e is RunEventOf<"node.concurrency"> => e.type === "node.concurrency" && e.nodeId === nodeId && !e.scope?.length && e.itemIndex === undefined,
  );
  if (!own.length) return null;
  const t0 = own[0].ts;
  const points = own.map((e) => ({ t: Math.round((e.ts - t0) / 10) / 100, concurrency: e.concurrency, reason: e.reason, completed: e.completed }));
  const values = points.map((p) => p.concurrency);
  return {
    points,
    min: own[0].min,
    max: own[0].max,
    peak: Math.max(...values),
    low: Math.min(...values),
    increases: own.filter((e) => e.reason === "increase").length,
    decreases: own.filter((e) => e.reason === "decrease-failure" || e.reason === "decrease-latency").length,
  };
}
