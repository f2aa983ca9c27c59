import { processSlot } from "../process-singleton";
import type { RunEvent } from "../contracts/events";

/**
 * Listeners of every persisted run event published in this process (metrics, traces, the workspace
 * feed). Kept on globalThis like the rest of the registry: the custom server's bundle installs them,
 * and route handlers (a separate bundle) publish through the same set.
 */
export type RunEventTap = (events: readonly RunEvent[]) => void;

const tapsSlot = processSlot<Map<string, RunEventTap>>("runEventTaps");

function taps(): Map<string, RunEventTap> {
  let all = tapsSlot.get();
  if (!all) tapsSlot.set((all = new Map()));
  return all;
}

/** Registers a tap under a name (registering the same name again replaces it). Returns a remover. */
export function addRunEventTap(name: string, tap: RunEventTap): () => void {
  taps().set(name, tap);
  return () => {
    if (taps().get(name) === tap) taps().delete(name);
  };
}

/** Hands events to every tap; a throwing tap never stops delivery or the others. */
export function runTaps(events: readonly RunEvent[]): void {
  const all = tapsSlot.get();
  if (!all?.size || !events.length) return;
  for (const [name, tap] of all) {
    try {
      tap(events);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "run event tap failed", tap: name, err: String(err) }));
    }
  }
}
