/** Time and timers for the breakers and limiters; structurally a subset of lib/server/runs/clock.ts, so tests can pass a fake. */
export interface ResilienceClock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Date.now and setTimeout (unref'd: a pending probe or limiter timer never keeps a process alive). */
export const realClock: ResilienceClock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return () => clearTimeout(t);
  },
};
