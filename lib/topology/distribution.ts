import type { Distribution } from "./stats";

/**
 * Nearest-rank percentile of an ascending-sorted sample: the smallest value with at least p% of the
 * sample at or below it, i.e. `sorted[ceil(p/100 · n) − 1]`. 0 for an empty sample.
 * @example percentile([1, 2, 3, 4], 50) // 2
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** p50, p95 (nearest rank) and mean of a sample; all 0 for an empty sample. */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { p50: 0, p95: 0, mean: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean: sum / sorted.length };
}
