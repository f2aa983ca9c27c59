import { describe, expect, it } from "vitest";
import { chartTicks, formatCost, formatCount, formatDays, formatDuration, formatPercent, tickStep } from "./format";

describe("dashboard format", () => {
  it("formats durations, costs, counts and rates", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(4210)).toBe("4.2 s");
    expect(formatDuration(185_000)).toBe("3 min 05 s");
    expect(formatDuration(7_800_000)).toBe("2 h 10 min");
    expect(formatCost(0)).toBe("$0");
    expect(formatCost(0.00421)).toBe("$0.0042");
    expect(formatCost(1.234)).toBe("$1.23");
    expect(formatCount(12_345)).toBe("12k");
    expect(formatCount(4_500_000)).toBe("4.5M");
    expect(formatPercent(0.054)).toBe("5.4%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(null)).toBe("—");
  });

  it("chooses round tick steps per window: quarter hours, hours, days", () => {
    expect(tickStep(3_600_000)).toMatchObject({ unit: "minute", every: 15 });
    expect(tickStep(86_400_000)).toMatchObject({ unit: "hour", every: 4 });
    expect(tickStep(7 * 86_400_000)).toMatchObject({ unit: "day", every: 1 });
    expect(tickStep(30 * 86_400_000)).toMatchObject({ unit: "day", every: 5 });
  });
});

describe("chartTicks", () => {
  const HOUR = 3_600_000;
  it("puts one tick per local midnight on the bucket holding it, labelled with the day, for a 7-day window", () => {
    const from = new Date(2026, 2, 3, 20, 53, 12).getTime();
    const bucketMs = 3 * HOUR;
    const { ticks, labels } = chartTicks(from, bucketMs, 56, "en-US");
    expect(ticks).toHaveLength(7);
    expect(ticks.map((t) => labels.get(t))).toEqual(["Mar 4", "Mar 5", "Mar 6", "Mar 7", "Mar 8", "Mar 9", "Mar 10"]);
    for (const [i, t] of ticks.entries()) {
      const midnight = new Date(2026, 2, 4 + i).getTime();
      expect((t - from) % bucketMs).toBe(0);
      expect(midnight - t).toBeGreaterThanOrEqual(0);
      expect(midnight - t).toBeLessThan(bucketMs);
    }
  });

  it("uses round clock times at even steps for a day", () => {
    const from = new Date(2026, 2, 9, 20, 53).getTime();
    const { ticks, labels } = chartTicks(from, 30 * 60_000, 48, "en-GB");
    expect(ticks.map((t) => labels.get(t))).toEqual(["00:00", "04:00", "08:00", "12:00", "16:00", "20:00"]);
  });

  it("formats retention days, fractions as hours or minutes", () => {
    expect(formatDays(365)).toBe("365 days");
    expect(formatDays(1)).toBe("1 day");
    expect(formatDays(1.5)).toBe("1.5 days");
    expect(formatDays(0.25)).toBe("6 hours");
    expect(formatDays(0.005)).toBe("7 minutes");
  });
});
