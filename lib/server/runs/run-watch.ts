import "server-only";
import { processSingleton } from "@/lib/process-singleton";
import { TERMINAL_EVENT_TYPES, type RunEvent } from "@/lib/contracts/events";
import { addRunEventTap } from "@/lib/realtime/taps";
import { getDatabase } from "@/lib/db/database";
import { listRunEvents } from "@/lib/db/run-events";

/**
 * Following one run's events from a sequence number, event-driven (no polling): first the events
 * already persisted after the seq (database), then the ones published in this process (a tap feeds a
 * per-run listener registry). Events are persisted before they are published, so when a live event
 * jumps past the last seq handed out, the database holds the gap and is read again; anything at or
 * below the last seq is dropped. Result: every seq once, ascending.
 *
 * A run may execute in another process (queue mode's workers, or another server): the events it
 * publishes reach this process through the realtime Redis adapter (`aura:run-events` server-side
 * emits), and server.ts hands them to `deliverRemoteRunEvents`; waiting stays event-driven.
 */

type Listener = (events: readonly RunEvent[]) => void;

// On globalThis: the custom server's bundle and Next's route bundles share one registry and one tap.
const watchers = () => processSingleton("runWatchers", () => new Map<string, Set<Listener>>());

function dispatch(events: readonly RunEvent[]): void {
  const all = watchers();
  if (!all.size) return;
  let byRun: Map<string, RunEvent[]> | null = null;
  for (const e of events) {
    if (!all.has(e.runId)) continue;
    byRun ??= new Map();
    const list = byRun.get(e.runId) ?? [];
    list.push(e);
    byRun.set(e.runId, list);
  }
  if (byRun) for (const [runId, list] of byRun) for (const fn of all.get(runId) ?? []) fn(list);
}

/**
 * Events another process persisted and published (server.ts wires the realtime adapter's
 * cross-process emits here). Followers treat them like local ones: seq order, gaps read from the store.
 */
export function deliverRemoteRunEvents(events: readonly RunEvent[]): void {
  dispatch(events);
}

function listen(runId: string, fn: Listener): () => void {
  addRunEventTap("run-watch", dispatch);
  const set = watchers().get(runId) ?? new Set<Listener>();
  set.add(fn);
  watchers().set(runId, set);
  return () => {
    set.delete(fn);
    if (!set.size && watchers().get(runId) === set) watchers().delete(runId);
  };
}

/** How many followers are attached right now (all runs): lets tests see that a dropped client is let go. */
export function activeRunWatchers(): number {
  let n = 0;
  for (const set of watchers().values()) n += set.size;
  return n;
}

export const isTerminalEvent = (e: RunEvent) => (TERMINAL_EVENT_TYPES as readonly string[]).includes(e.type);

const PAGE = 500;

/**
 * Yields the run's events with seq > afterSeq in order, each once, and ends after a terminal event
 * (run.finished, run.failed, run.cancelled) or when `signal` aborts. Breaking out of the loop, the
 * abort and the end all detach the listener. `storedOnly` reads the database and stops at its end
 * (for a run that is already settled and will publish nothing more).
 */
export async function* followRunEvents(
  runId: string,
  afterSeq: number,
  options: { signal?: AbortSignal; storedOnly?: boolean } = {},
): AsyncGenerator<RunEvent> {
  const { signal, storedOnly = false } = options;
  const live: RunEvent[] = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const unlisten = storedOnly
    ? () => {}
    : listen(runId, (events) => {
        live.push(...events);
        notify();
      });
  signal?.addEventListener("abort", notify);
  try {
    const db = await getDatabase();
    // The caller already has the terminal event (a client reconnecting after the end, before the
    // Run row says so): nothing follows it.
    if (afterSeq >= 0 && (await endsAt(db, runId, afterSeq))) return;
    let last = afterSeq;
    let readStore = true;
    for (;;) {
      if (signal?.aborted) return;
      if (readStore) {
        readStore = false;
        for (;;) {
          const page = await listRunEvents(db, runId, last, PAGE);
          for (const e of page) {
            if (e.seq <= last) continue;
            last = e.seq;
            yield e;
            if (isTerminalEvent(e) || signal?.aborted) return;
          }
          if (page.length < PAGE) break;
        }
        if (storedOnly) return;
      }
      while (live.length && !readStore) {
        const e = live[0];
        if (e.seq <= last) {
          live.shift();
          continue;
        }
        // A gap: those events are persisted already (persist, then publish); read them from the store.
        if (e.seq > last + 1) {
          readStore = true;
          break;
        }
        live.shift();
        last = e.seq;
        yield e;
        if (isTerminalEvent(e) || signal?.aborted) return;
      }
      if (readStore) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (live.length || signal?.aborted) notify();
      });
    }
  } finally {
    unlisten();
    signal?.removeEventListener("abort", notify);
  }
}

/** True when the event at `seq` is terminal and nothing was stored after it. */
async function endsAt(db: Awaited<ReturnType<typeof getDatabase>>, runId: string, seq: number): Promise<boolean> {
  const [at, next] = await listRunEvents(db, runId, seq - 1, 2);
  return !!at && at.seq === seq && isTerminalEvent(at) && !next;
}
