import { describe, expect, it } from "vitest";
import { formatCost, formatCount, formatDuration, formatPercent } from "./format";

describe("dashboard format", () => {
  it("formats durations, costs, counts and rates", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(4210)).toBe("4.2 s");
    expect(formatDuration(185_000)).toBe("3 m 05 s");
    expect(formatDuration(7_800_000)).toBe("2 h 10 m");
    expect(formatCost(0)).toBe("$0");
    expect(formatCost(0.00421)).toBe("$0.0042");
    expect(formatCost(1.234)).toBe("$1.23");
    expect(formatCount(12_345)).toBe("12k");
    expect(formatCount(4_500_000)).toBe("4.5M");
    expect(formatPercent(0.054)).toBe("5.4%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(null)).toBe("—");
  });
});
