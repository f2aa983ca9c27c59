import { describe, expect, it } from "vitest";
import { CONTINUE_AFTER_MS, MIN_PASS_DELAY_MS, nextPassDelay } from "./schedule";

const HOUR = 3_600_000;

describe("nextPassDelay", () => {
  it("keeps the interval while passes find little", () => {
    expect(nextPassDelay(null, { interval: HOUR, previous: HOUR, maxRuns: 10_000 })).toBe(HOUR);
    expect(nextPassDelay({ work: 900, more: false }, { interval: HOUR, previous: HOUR, maxRuns: 10_000 })).toBe(HOUR);
  });

  it("comes sooner in proportion when a pass found more than a tenth of maxRuns", () => {
    // 90 runs/s for an hour: 324,000 runs of work; the next pass should find about 1,000.
    const d = nextPassDelay({ work: 324_000, more: false }, { interval: HOUR, previous: HOUR, maxRuns: 10_000 });
    expect(d).toBe(Math.round((HOUR * 1000) / 324_000));
    // At that pace the next pass finds ~1,000 and the pause holds.
    expect(nextPassDelay({ work: 1000, more: false }, { interval: HOUR, previous: 11_111, maxRuns: 10_000 })).toBe(22_222);
  });

  it("never goes under the minimum, and grows back (doubling) when the load stops", () => {
    expect(nextPassDelay({ work: 10_000_000, more: false }, { interval: HOUR, previous: 10_000, maxRuns: 1000 })).toBe(MIN_PASS_DELAY_MS);
    expect(nextPassDelay({ work: 0, more: false }, { interval: HOUR, previous: MIN_PASS_DELAY_MS, maxRuns: 1000 })).toBe(2 * MIN_PASS_DELAY_MS);
    expect(nextPassDelay({ work: 0, more: false }, { interval: 30_000, previous: 20_000, maxRuns: 1000 })).toBe(30_000);
  });

  it("continues at once after a pass that ran out of time", () => {
    expect(nextPassDelay({ work: 5000, more: true }, { interval: HOUR, previous: HOUR, maxRuns: 10_000 })).toBe(CONTINUE_AFTER_MS);
  });
});
