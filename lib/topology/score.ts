import { round4 } from "./format";
import type { Reason } from "./report";

/**
 * The score of a node or edge: independent signals s₁…sₖ in [0, 1] combined as a noisy-OR,
 * score = 1 − Π(1 − sᵢ). It is 0 with no signal, never exceeds 1, grows with every signal, and one
 * strong signal (a node taking 80% of the run time, or failing a third of its attempts) is enough for
 * a high score. Rounded to 4 decimals.
 * @example combineSignals([0.5, 0.5]) // 0.75
 */
export function combineSignals(signals: readonly number[]): number {
  let keep = 1;
  for (const s of signals) keep *= 1 - clamp01(s);
  return round4(1 - keep);
}

export const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** Orders reasons strongest first; equal signals keep the order they were found in (stable sort). */
export function sortReasons(reasons: Reason[]): Reason[] {
  return reasons
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.signal - a.r.signal || a.i - b.i)
    .map((x) => x.r);
}
