/** Display helpers of the dashboard (pure, tested). */

import { formatAxisTick } from "@/components/ui/format-time";

export { formatDuration } from "@/components/ui/format-time";

/** $0.0042, $1.23, $1,234. Zero is "$0". */
export function formatCost(usd: number | null | undefined): string {
  if (!usd) return "$0";
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 1000) return `$${usd.toFixed(2)}`;
  return `$${Math.round(usd).toLocaleString("en-US")}`;
}

/** 950, 12.3k, 4.5M. */
export function formatCount(n: number | null | undefined): string {
  if (n == null) return "—";
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function formatPercent(rate: number | null | undefined): string {
  if (rate == null) return "—";
  const p = rate * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Tick spacing for a window: a handful of round clock times, or whole days from two days up. */
export function tickStep(spanMs: number): { unit: "minute" | "hour" | "day"; every: number; ms: number } {
  if (spanMs <= HOUR) return { unit: "minute", every: 15, ms: 15 * MINUTE };
  if (spanMs <= 6 * HOUR) return { unit: "hour", every: 1, ms: HOUR };
  if (spanMs <= DAY) return { unit: "hour", every: 4, ms: 4 * HOUR };
  if (spanMs <= 8 * DAY) return { unit: "day", every: 1, ms: DAY };
  return { unit: "day", every: 5, ms: 5 * DAY };
}

/** The first local round time at or after `t` for this step (local midnight, hour or quarter hour). */
function firstBoundary(t: number, step: ReturnType<typeof tickStep>): Date {
  const d = new Date(t);
  if (step.unit === "day") d.setHours(0, 0, 0, 0);
  else if (step.unit === "hour") d.setHours(Math.floor(d.getHours() / step.every) * step.every, 0, 0, 0);
  else d.setMinutes(Math.floor(d.getMinutes() / step.every) * step.every, 0, 0);
  while (d.getTime() < t) advance(d, step);
  return d;
}

// Calendar arithmetic (not + ms) so days stay at midnight across daylight-saving changes.
function advance(d: Date, step: ReturnType<typeof tickStep>) {
  if (step.unit === "day") d.setDate(d.getDate() + step.every);
  else if (step.unit === "hour") d.setHours(d.getHours() + step.every);
  else d.setMinutes(d.getMinutes() + step.every);
}

/**
 * The x-axis ticks of the overview charts over buckets starting at `from`, `bucketMs` wide: one
 * tick per local round time (day, hour, quarter hour) placed on the bucket that holds it, labelled
 * with that round time. Every chart of one window uses the same ticks, so they read alike.
 */
export function chartTicks(from: number, bucketMs: number, buckets: number, locale?: string): { ticks: number[]; labels: Map<number, string> } {
  const end = from + bucketMs * buckets;
  const step = tickStep(end - from);
  const ticks: number[] = [];
  const labels = new Map<number, string>();
  for (const d = firstBoundary(from, step); d.getTime() < end; advance(d, step)) {
    const bucketStart = from + Math.floor((d.getTime() - from) / bucketMs) * bucketMs;
    if (labels.has(bucketStart)) continue;
    ticks.push(bucketStart);
    labels.set(bucketStart, formatAxisTick(d.getTime(), step.ms, locale));
  }
  return { ticks, labels };
}

export const RANGES = [
  { key: "1h", label: "Last hour", ms: 3_600_000 },
  { key: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { key: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { key: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
] as const;
export type RangeKey = (typeof RANGES)[number]["key"];
export const rangeMs = (key: string) => RANGES.find((r) => r.key === key)?.ms ?? 86_400_000;

/** "365 days", "1 day", "6 hours" (retention may be set in fractions of a day). */
export function formatDays(days: number): string {
  if (days >= 1) return `${Number(days.toFixed(2))} ${days === 1 ? "day" : "days"}`;
  const hours = days * 24;
  return hours >= 1 ? `${Number(hours.toFixed(1))} hours` : `${Math.max(1, Math.round(hours * 60))} minutes`;
}
