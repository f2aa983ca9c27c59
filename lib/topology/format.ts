/** Plain-language number formatting for reasons, so every sentence reads the same way. */

/** 850 → "850 ms", 3200 → "3.2 s", 270000 → "4.5 min", 5400000 → "1.5 h". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trim(ms / 1000)} s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000)} min`;
  return `${trim(ms / 3_600_000)} h`;
}

/** 0.623 → "62%", 0.004 → "<1%", 0 → "0%". */
export function formatPercent(ratio: number): string {
  if (ratio > 0 && ratio < 0.005) return "<1%";
  return `${Math.round(ratio * 100)}%`;
}

/** 0.0123 → "$0.0123", 1.5 → "$1.50". */
export function formatUsd(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${Number(usd.toPrecision(3))}`;
}

/** A node's name for sentences: its label, else its id, in double quotes. */
export function quoted(label: string, id: string): string {
  return `"${label.trim() || id}"`;
}

/** Joins names as `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function trim(x: number): string {
  return x >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

/** Rounds to 4 decimals, so reports are stable and small. */
export const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
/** Rounds milliseconds to 0.1 ms. */
export const roundMs = (x: number) => Math.round(x * 10) / 10;
