/**
 * Replay of a fast run: a run that is over in under a second finishes before the canvas can show
 * anything but the end. When the watched run's end arrives, the nodes it executed light up again one
 * after the other (in the order they started) over about a second and a half. The replay is only a
 * delay per node handed to CSS (`--replay-delay`): no timer per frame and no store write per step,
 * and the real states are what is drawn, only held back until their turn. Pure.
 */
import type { LiveRunStatus, RunOverlay } from "./run-overlay";

/** Runs shorter than this are replayed. */
export const FAST_RUN_MS = 1000;
/** The whole replay lasts at most this long. */
export const REPLAY_MS = 1500;
/** The longest pause between two nodes (a short path is not stretched to REPLAY_MS). */
export const MAX_STEP_MS = 250;
/** How long one node takes to fade in (matches `.run-replay` in components/editor/run/run.css). */
export const FADE_MS = 300;

export interface RunReplay {
  runId: string;
  /** Milliseconds after the replay starts at which each executed node appears. */
  delays: ReadonlyMap<string, number>;
  /** When the last node has appeared (plus its fade in): the replay can be dropped after this. */
  totalMs: number;
}

const ended = (s: LiveRunStatus) => s === "succeeded" || s === "failed" || s === "cancelled";

/**
 * The replay to play when applying events turned `prev` into `next`: only when this very run has
 * just ended (not on a new run, not on later events of an ended run) and took under FAST_RUN_MS.
 */
export function planReplay(prev: RunOverlay, next: RunOverlay): RunReplay | null {
  if (!next.runId || prev.runId !== next.runId) return null;
  if (ended(prev.status) || !ended(next.status)) return null;
  if (next.durationMs == null || next.durationMs >= FAST_RUN_MS) return null;
  const executed = [...next.nodes].filter(([, n]) => n.runs > 0 && n.startedAt != null);
  if (executed.length < 2) return null;
  // Stable sort keeps the event order for nodes that started in the same millisecond.
  executed.sort((a, b) => a[1].startedAt! - b[1].startedAt!);
  const step = Math.min(MAX_STEP_MS, REPLAY_MS / executed.length);
  const delays = new Map(executed.map(([id], i) => [id, Math.round(i * step)]));
  return { runId: next.runId, delays, totalMs: Math.round((executed.length - 1) * step) + FADE_MS };
}
