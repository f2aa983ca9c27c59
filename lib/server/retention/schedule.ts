// When the next retention pass runs. A fixed interval lets a busy installation pile up (at 90 runs/s
// an hourly pass finds 324,000 runs over the limit, gigabytes the database holds in between); so the
// pause follows the write rate: after a pass that removed or compacted more than a tenth of what a
// workflow keeps, the next one comes sooner, in proportion, down to a few seconds. The database then
// swings by about a tenth of the kept runs instead of by an interval's worth. Pure.

/** The shortest pause between passes, however busy. */
export const MIN_PASS_DELAY_MS = 5_000;
/** A pass that stopped at its time budget is followed this soon by the next. */
export const CONTINUE_AFTER_MS = 1_000;

/** What the schedule looks at of the last pass. */
export interface LastPass {
  /** Runs the pass pruned or compacted, whichever is more (each run is compacted once and pruned once). */
  work: number;
  /** It stopped at its time budget with work left. */
  more: boolean;
}

/**
 * The pause before the next pass: `interval` when the last pass had little to do; shorter in
 * proportion when it had more than `target` runs of work (a tenth of maxRuns), so that each pass
 * finds about `target`; never under MIN_PASS_DELAY_MS; CONTINUE_AFTER_MS when it ran out of time.
 * `previous` is the pause before the last pass (the work it found accumulated over it).
 */
export function nextPassDelay(last: LastPass | null, o: { interval: number; previous: number; maxRuns: number }): number {
  if (!last) return o.interval;
  if (last.more) return Math.min(CONTINUE_AFTER_MS, o.interval);
  const target = Math.max(100, o.maxRuns / 10);
  if (last.work <= target) return Math.min(o.interval, Math.max(o.previous * 2, MIN_PASS_DELAY_MS));
  return Math.min(o.interval, Math.max(MIN_PASS_DELAY_MS, Math.round((o.previous * target) / last.work)));
}
