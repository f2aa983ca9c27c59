import { describe, expect, it } from "vitest";
import { formatAxisTick, formatDateTime, formatDuration, formatRelativeTime, formatTimeOfDay } from "./format-time";

const now = Date.parse("2026-03-10T12:00:00Z");
const ago = (ms: number) => new Date(now - ms).toISOString();
// Local 20:05:09.042 on 10 March 2026 (the formatters show local times).
const evening = new Date(2026, 2, 10, 20, 5, 9, 42).getTime();

describe("formatRelativeTime", () => {
  it.each([
    [10_000, "now"],
    [120_000, "2 minutes ago"],
    [59 * 60_000, "59 minutes ago"],
    [3 * 3_600_000, "3 hours ago"],
    [26 * 3_600_000, "yesterday"],
    [3 * 86_400_000, "3 days ago"],
    [15 * 86_400_000, "2 weeks ago"],
    [400 * 86_400_000, "last year"],
  ])("%i ms ago → %s", (ms, text) => {
    expect(formatRelativeTime(ago(ms), now, "en")).toBe(text);
  });

  it("handles future dates (clock skew), bad input, and other locales", () => {
    expect(formatRelativeTime(new Date(now + 5 * 60_000).toISOString(), now, "en")).toBe("in 5 minutes");
    expect(formatRelativeTime("not a date", now, "en")).toBe("—");
    expect(formatRelativeTime(ago(120_000), now, "de")).toBe("vor 2 Minuten");
  });
});

describe("dates and clock times follow the locale's clock", () => {
  it("12-hour where the locale says so, 24-hour elsewhere, one format per kind", () => {
    expect(formatDateTime(evening, "en-US")).toMatch(/^Mar 10, 2026, 8:05\sPM$/);
    expect(formatDateTime(evening, "en-GB")).toBe("10 Mar 2026, 20:05");
    expect(formatTimeOfDay(evening, {}, "en-US")).toMatch(/^8:05:09\sPM$/);
    expect(formatTimeOfDay(evening, {}, "en-GB")).toBe("20:05:09");
    expect(formatTimeOfDay(evening, { withMs: true }, "en-GB")).toBe("20:05:09.042");
    expect(formatTimeOfDay(evening, { withMs: true }, "en-US")).toMatch(/^8:05:09\.042\sPM$/);
  });

  it("gives a dash for missing or unreadable dates", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime("nope")).toBe("—");
    expect(formatTimeOfDay(undefined)).toBe("—");
  });

  it("labels axis ticks with days from a day up, with clock times below", () => {
    expect(formatAxisTick(evening, 86_400_000, "en-US")).toBe("Mar 10");
    expect(formatAxisTick(evening, 4 * 3_600_000, "en-GB")).toBe("20:05");
    expect(formatAxisTick(evening, 4 * 3_600_000, "en-US")).toMatch(/^8:05\sPM$/);
  });
});

describe("formatDuration", () => {
  it.each([
    [null, "—"],
    [850, "850 ms"],
    [4210, "4.2 s"],
    [12_400, "12 s"],
    [185_000, "3 min 05 s"],
    [7_800_000, "2 h 10 min"],
  ])("%s → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
