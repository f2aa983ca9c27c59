import type { Clock } from "./clock";

/** A Clock for tests: time moves only when `advance` is called, and due timers fire in order then. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing every timer that falls due (and letting promises settle between them). */
  advance(ms: number): Promise<void>;
  /** Timers not yet fired or cancelled. */
  pending(): number;
}

/** A fake clock starting at `start` (ms since the epoch). */
export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void; every?: number }>();
  const add = (at: number, fn: () => void, every?: number) => {
    const id = ++nextId;
    timers.set(id, { at, fn, every });
    return () => void timers.delete(id);
  };
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return {
    now: () => now,
    after: (ms, fn) => add(now + ms, fn),
    every: (ms, fn) => add(now + ms, fn, ms),
    pending: () => timers.size,
    async advance(ms) {
      const end = now + ms;
      await settle();
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        const [id, t] = due;
        now = t.at;
        if (t.every) t.at += t.every;
        else timers.delete(id);
        t.fn();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}
