import { describe, expect, it } from "vitest";
import { formatRelativeTime } from "./relative-time";

const now = Date.parse("2026-03-10T12:00:00Z");
const ago = (ms: number) => new Date(now - ms).toISOString();

describe("formatRelativeTime", () => {
  it.each([
    [10_000, "just now"],
    [120_000, "2 minutes ago"],
    [59 * 60_000, "59 minutes ago"],
    [3 * 3_600_000, "3 hours ago"],
    [26 * 3_600_000, "yesterday"],
    [3 * 86_400_000, "3 days ago"],
    [15 * 86_400_000, "2 weeks ago"],
    [400 * 86_400_000, "last year"],
  ])("%i ms ago → %s", (ms, text) => {
    expect(formatRelativeTime(ago(ms), now)).toBe(text);
  });

  it("handles future dates (clock skew) and bad input", () => {
    expect(formatRelativeTime(new Date(now + 5 * 60_000).toISOString(), now)).toBe("in 5 minutes");
    expect(formatRelativeTime("not a date", now)).toBe("—");
  });
});
