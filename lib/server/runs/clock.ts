/**
 * Time as the run manager sees it: the wall clock and timers. Passed in, so the queue and lease logic
 * run under a fake clock in unit tests (see fake-clock.ts) instead of real timers.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a cancel function. `unref`: the timer alone keeps no process alive. */
  after(ms: number, fn: () => void, options?: { unref?: boolean }): () => void;
  /** Calls `fn` every `ms` (never keeps the process alive); returns a cancel function. */
  every(ms: number, fn: () => void): () => void;
}

/** The real clock: Date.now and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn, options) {
    const t = setTimeout(fn, ms);
    if (options?.unref) t.unref();
    return () => clearTimeout(t);
  },
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};
