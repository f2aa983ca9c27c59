import { describe, expect, it } from "vitest";
import { createAimdController, type AimdChange } from "./aimd";

/** Feeds `n` samples from `latency(limit)` and returns the limit after each. */
function drive(c: ReturnType<typeof createAimdController>, n: number, sample: (limit: number, i: number) => { latencyMs: number; failed: boolean }) {
  const limits: number[] = [];
  const changes: AimdChange[] = [];
  for (let i = 0; i < n; i++) {
    const ch = c.observe(sample(c.limit, i));
    if (ch) changes.push(ch);
    limits.push(c.limit);
  }
  return { limits, changes };
}

describe("AIMD controller", () => {
  it("starts at min and adds one per window of fast successes, up to max", () => {
    const c = createAimdController({ min: 2, max: 6 });
    expect(c.limit).toBe(2);
    const { limits, changes } = drive(c, 100, () => ({ latencyMs: 100, failed: false }));
    // +1 after 2 items at 2, after 3 at 3, … : 2 → 3 at item 2, → 4 at item 5, → 5 at item 9, → 6 at item 14.
    expect(limits.slice(0, 14)).toEqual([2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6]);
    expect(Math.max(...limits)).toBe(6);
    expect(changes.map((x) => x.limit)).toEqual([3, 4, 5, 6]);
    expect(changes.every((x) => x.reason === "increase")).toBe(true);
  });

  it("halves on a failure, once per window, never below min", () => {
    const c = createAimdController({ min: 2, max: 16 });
    drive(c, 200, () => ({ latencyMs: 50, failed: false }));
    expect(c.limit).toBe(16);
    const burst = drive(c, 5, () => ({ latencyMs: 50, failed: true }));
    // Five failures in a row from the same window cut once: 16 → 8.
    expect(burst.changes).toEqual([{ limit: 8, previous: 16, reason: "decrease-failure", latencyMs: 50, baselineMs: 50 }]);
    // After the hold-off, failures cut again: 8 → 4 → 2, and stop at min.
    const more = drive(c, 100, () => ({ latencyMs: 50, failed: true }));
    expect(more.changes.map((x) => x.limit)).toEqual([4, 2]);
    expect(c.limit).toBe(2);
  });

  it("backs off when latency climbs with load and settles near the knee (synthetic latencies)", () => {
    // A downstream that serves 8 at a time: latency 100 ms up to 8 in flight, then grows linearly.
    const latency = (inFlight: number) => (inFlight <= 8 ? 100 : 100 * (inFlight / 8) ** 2);
    const c = createAimdController({ min: 1, max: 32 });
    const { limits, changes } = drive(c, 2000, (limit) => ({ latencyMs: latency(limit), failed: false }));
    expect(changes.some((x) => x.reason === "decrease-latency")).toBe(true);
    expect(Math.max(...limits)).toBeLessThan(32);
    // In the last 500 items it oscillates around the knee (8), the sawtooth of AIMD.
    const tail = limits.slice(-500);
    expect(Math.max(...tail)).toBeLessThanOrEqual(12);
    expect(Math.min(...tail)).toBeGreaterThanOrEqual(5);
    expect(c.baselineMs).toBeGreaterThan(99);
    expect(c.baselineMs).toBeLessThan(200);
  });

  it("recovers after a failure spell", () => {
    const c = createAimdController({ min: 1, max: 10 });
    const { limits } = drive(c, 600, (_l, i) => ({ latencyMs: 20, failed: i >= 100 && i < 120 }));
    expect(limits[99]).toBe(10);
    expect(Math.min(...limits.slice(100, 130))).toBeLessThanOrEqual(2);
    expect(limits[599]).toBe(10);
  });

  it("ignores millisecond jitter of very fast items", () => {
    const c = createAimdController({ min: 1, max: 8 });
    const { changes } = drive(c, 200, (_l, i) => ({ latencyMs: i % 3, failed: false }));
    expect(changes.every((x) => x.reason === "increase")).toBe(true);
    expect(c.limit).toBe(8);
  });

  it("clamps bad bounds", () => {
    expect(createAimdController({ min: 9, max: 3 }).limit).toBe(3);
    expect(createAimdController({ min: 0, max: 0 }).limit).toBe(1);
  });
});
