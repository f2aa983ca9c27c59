const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago"; an unreadable date gives "—". */
export function formatRelativeTime(date: string | Date, now: number = Date.now()): string {
  const t = typeof date === "string" ? Date.parse(date) : date.getTime();
  if (!Number.isFinite(t)) return "—";
  const diff = t - now;
  if (Math.abs(diff) < 45_000) return "just now";
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === "minute") return rtf.format(Math.round(diff / ms), unit);
  }
  return "just now";
}

/** A full local date and time for tooltips. */
export function formatAbsoluteTime(date: string): string {
  const t = Date.parse(date);
  return Number.isFinite(t) ? new Date(t).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" }) : "";
}
