/**
 * Every time shown in the app goes through these formatters, so one kind of time always looks the
 * same: a date with time (tooltips, headers), a time of day (events of one run), a relative time
 * ("5 minutes ago"), a duration, and chart axis ticks. Dates and clock times follow the browser's
 * locale (12- or 24-hour as the user's locale says): the locale argument is `undefined` in the app
 * and only set by tests.
 */

type DateInput = string | number | Date;

const toMs = (date: DateInput): number => (typeof date === "string" ? Date.parse(date) : typeof date === "number" ? date : date.getTime());

// Intl formatters are costly to build and these run per table row: one per locale and kind.
const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function dateFormat(kind: string, locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${kind}|${locale ?? ""}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}
function relativeFormat(locale: string | undefined): Intl.RelativeTimeFormat {
  const key = `relative|${locale ?? ""}`;
  let f = cache.get(key) as Intl.RelativeTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.RelativeTimeFormat(locale, { numeric: "auto" })));
  return f;
}

/** "Dec 6, 2026, 8:52 PM" (en-US) or "6 Dec 2026, 20:52" (en-GB); "—" for an unreadable date. */
export function formatDateTime(date: DateInput | null | undefined, locale?: string): string {
  if (date == null) return "—";
  const t = toMs(date);
  return Number.isFinite(t) ? dateFormat("datetime", locale, { dateStyle: "medium", timeStyle: "short" }).format(t) : "—";
}

/** A clock time with seconds: "8:52:07 PM" or "20:52:07"; `withMs` adds ".042" (event logs). */
export function formatTimeOfDay(date: DateInput | null | undefined, { withMs = false }: { withMs?: boolean } = {}, locale?: string): string {
  if (date == null) return "—";
  const t = toMs(date);
  if (!Number.isFinite(t)) return "—";
  if (!withMs) return dateFormat("time", locale, { timeStyle: "medium" }).format(t);
  return dateFormat("time-ms", locale, { hour: "numeric", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3 }).format(t);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "now", "5 minutes ago", "yesterday", "in 2 hours"; "—" for an unreadable date. */
export function formatRelativeTime(date: DateInput, now: number = Date.now(), locale?: string): string {
  const t = toMs(date);
  if (!Number.isFinite(t)) return "—";
  const diff = t - now;
  const rtf = relativeFormat(locale);
  if (Math.abs(diff) < 45_000) return rtf.format(0, "second");
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === "minute") return rtf.format(Math.round(diff / ms), unit);
  }
  return rtf.format(0, "second");
}

/** 850 ms, 4.2 s, 12 s, 3 min 05 s, 2 h 10 min; "—" when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, "0")} s`;
  return `${Math.floor(ms / 3_600_000)} h ${String(Math.floor((ms % 3_600_000) / 60_000)).padStart(2, "0")} min`;
}

/** A chart tick at `t` on an axis whose ticks are `stepMs` apart: days ("Dec 6") from a day up, clock times ("20:00" / "8 PM") below. */
export function formatAxisTick(t: number, stepMs: number, locale?: string): string {
  if (stepMs >= 86_400_000) return dateFormat("day", locale, { month: "short", day: "numeric" }).format(t);
  return dateFormat("hour-minute", locale, { timeStyle: "short" }).format(t);
}
