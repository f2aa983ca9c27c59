"use client";

import { useMemo } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RunEvent } from "@/lib/contracts/events";
import { concurrencySeries, type ConcurrencyPoint } from "./concurrency-series";

const REASON_TEXT: Record<ConcurrencyPoint["reason"], string> = {
  start: "start",
  increase: "raised: items fast and well",
  "decrease-failure": "halved: an item failed",
  "decrease-latency": "halved: latency over 2× baseline",
};

/**
 * An adaptive Parallel map's concurrency over the run (stepped line between its Min and Max), from
 * its node.concurrency events; nothing for a map with fixed concurrency or another node.
 */
export function ConcurrencyChart({ events, nodeId, version }: { events: readonly RunEvent[]; nodeId: string; version: number }) {
  // eslint-disable-next-line react-hooks/exhaustive-deps -- events grows in place; version is what changes when it does
  const series = useMemo(() => concurrencySeries(events, nodeId), [events, version, nodeId]);
  if (!series) return null;
  const last = series.points[series.points.length - 1];
  return (
    <div data-testid="node-details-concurrency" data-peak={series.peak} data-changes={series.points.length - 1}>
      <div className="mb-1 flex items-baseline justify-between gap-2">
        <span className="text-muted">Adaptive concurrency</span>
        <span className="text-[11px] text-muted tabular-nums">
          now {last.concurrency} · peak {series.peak} · low {series.low} · bounds {series.min}–{series.max} · {series.increases}↑ {series.decreases}↓
        </span>
      </div>
      <div className="h-28 w-full rounded-lg border border-border bg-panel-2/40 p-1">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={series.points} margin={{ top: 6, right: 8, bottom: 0, left: -20 }}>
            <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
            <XAxis dataKey="t" type="number" domain={[0, "dataMax"]} tick={{ fontSize: 10 }} unit="s" />
            <YAxis allowDecimals={false} domain={[0, series.max]} tick={{ fontSize: 10 }} width={40} />
            <ReferenceLine y={series.max} stroke="var(--color-muted, #94a3b8)" strokeDasharray="4 3" />
            <ReferenceLine y={series.min} stroke="var(--color-muted, #94a3b8)" strokeDasharray="4 3" />
            <Tooltip
              formatter={(v) => [String(v), "concurrency"]}
              labelFormatter={(t) => `${typeof t === "number" || typeof t === "string" ? t : ""} s`}
              contentStyle={{ fontSize: 11 }}
              isAnimationActive={false}
            />
            <Line type="stepAfter" dataKey="concurrency" stroke="#4f46e5" strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ul className="mt-1 max-h-24 space-y-0.5 overflow-auto font-mono text-[11px]" aria-label="Concurrency changes">
        {series.points.slice(-50).map((p, i) => (
          <li key={i}>
            {p.t.toFixed(2)} s · {p.concurrency} · {REASON_TEXT[p.reason]} · {p.completed} done
          </li>
        ))}
      </ul>
    </div>
  );
}
