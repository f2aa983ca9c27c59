/**
 * AIMD concurrency control for a Parallel map in "adaptive" mode (pure; no clock, no I/O): additive
 * increase while items finish fast and well, multiplicative decrease on a failure or when latency
 * climbs well above its baseline, always within [min, max].
 *
 * 1. Start at `min` (a cautious start: nothing is known about the downstream yet).
 * 2. Each item that succeeds and is not slow adds 1/limit: +1 per full window of `limit` items
 *    finished at the current concurrency (TCP's congestion avoidance).
 * 3. A failure, or a success slower than `slowFactor` × baseline (and `minSlowDeltaMs` over it), multiplies the limit by
 *    `decreaseFactor` (rounded down, never below min), at most once per window: the items already in
 *    flight when it dropped finish under the old load and must not cut it again.
 * 4. The baseline is the latency without congestion: seeded by the first success, then an
 *    exponential moving average (weight `alpha`) of successes no slower than `driftFactor` × baseline.
 *    Slower ones are load, not baseline, so a latency that creeps up with concurrency does not drag
 *    the baseline along (TCP Vegas keeps its base RTT for the same reason).
 */

export interface AimdOptions {
  min: number;
  max: number;
  /** Multiplicative decrease factor in (0, 1). Default 0.5. */
  decreaseFactor?: number;
  /** An item slower than this × the baseline counts as a congestion signal. Default 2. */
  slowFactor?: number;
  /** Weight of a new latency in the baseline average. Default 0.2. */
  alpha?: number;
  /** Successes slower than this × the baseline do not move it. Default 1.2. */
  driftFactor?: number;
  /**
   * A slow item must also be this much slower than the baseline (ms). Default 20: items of a few
   * milliseconds vary by more than 2× from timer and scheduling noise alone, which is no congestion.
   */
  minSlowDeltaMs?: number;
}

export type AimdReason = "start" | "increase" | "decrease-failure" | "decrease-latency";

/** A change of the limit, for the run's events. */
export interface AimdChange {
  limit: number;
  previous: number;
  reason: AimdReason;
  /** The latency that triggered it (ms), when a completion did. */
  latencyMs?: number;
  /** Baseline latency at the time (ms), once known. */
  baselineMs?: number;
}

export interface AimdController {
  /** The current concurrency limit. */
  readonly limit: number;
  /** Baseline latency (ms), or null before the first success. */
  readonly baselineMs: number | null;
  /** Records one finished item; returns the change of the limit it caused, or null. */
  observe(sample: { latencyMs: number; failed: boolean }): AimdChange | null;
}

/** A new controller; `min` and `max` are clamped to ≥ 1 and min ≤ max. */
export function createAimdController(options: AimdOptions): AimdController {
  const max = Math.max(1, Math.floor(options.max));
  const min = Math.min(max, Math.max(1, Math.floor(options.min)));
  const decrease = options.decreaseFactor ?? 0.5;
  const slowFactor = options.slowFactor ?? 2;
  const alpha = options.alpha ?? 0.2;
  const drift = options.driftFactor ?? 1.2;
  const minDelta = options.minSlowDeltaMs ?? 20;
  let limit = min;
  let credit = 0; // fractional progress toward the next +1
  let baseline: number | null = null;
  let holdOff = 0; // completions still to ignore for decreases after a cut
  const round = (x: number) => Math.round(x * 10) / 10;

  return {
    get limit() {
      return limit;
    },
    get baselineMs() {
      return baseline;
    },
    observe({ latencyMs, failed }) {
      const slow = !failed && baseline !== null && latencyMs > slowFactor * baseline && latencyMs - baseline > minDelta;
      if (holdOff > 0) holdOff--;
      if (failed || slow) {
        if (holdOff > 0 || limit === min) return null;
        const previous = limit;
        limit = Math.max(min, Math.floor(limit * decrease));
        credit = 0;
        holdOff = previous; // the items in flight at the old limit
        return {
          limit,
          previous,
          reason: failed ? "decrease-failure" : "decrease-latency",
          latencyMs: round(latencyMs),
          ...(baseline !== null ? { baselineMs: round(baseline) } : {}),
        };
      }
      if (baseline === null) baseline = latencyMs;
      else if (latencyMs <= drift * baseline) baseline += alpha * (latencyMs - baseline);
      if (limit >= max) return null;
      credit += 1 / limit;
      if (credit < 1) return null;
      credit = 0;
      const previous = limit;
      limit += 1;
      return { limit, previous, reason: "increase", latencyMs: round(latencyMs), baselineMs: round(baseline) };
    },
  };
}
