import "server-only";
import type { Database } from "@/lib/db/client";
import { appendRunEventBatches } from "@/lib/db/run-events";
import { isDatabaseUnavailable } from "@/lib/db/client-errors";
import type { RunEvent } from "@/lib/contracts/events";
import { noteStoredEvents, type ActiveRun } from "./active-run";
import type { Clock } from "./clock";

export interface EventWriterOptions {
  database: () => Promise<Database>;
  clock: Clock;
  /** The runs executing here (their `pending` events are what gets written). */
  runs: () => Iterable<ActiveRun>;
  closing: () => boolean;
  /** Delivers stored events to live subscribers (lib/realtime). */
  publish: (events: RunEvent[]) => void;
  onError: (msg: string, extra: Record<string, unknown>) => void;
}

/** How long events wait to be stored together (AURA_EVENT_BATCH_MS, 0–50, default 4). */
export function eventBatchMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.AURA_EVENT_BATCH_MS);
  return env.AURA_EVENT_BATCH_MS !== undefined && Number.isFinite(n) && n >= 0 ? Math.min(50, n) : 4;
}

/** Failed attempts in a row after which a run's events are dropped (its row was deleted with its workflow); not counted while the database is unreachable. */
const MAX_WRITE_FAILURES = 5;
/** How soon events that failed to store are tried again. */
const WRITE_RETRY_MS = 200;

/**
 * The main thread's event sink: the pending events of every active run are persisted, each with its
 * run's next seqs, in ONE INSERT per turn of the event loop, then published (persisted before
 * published, in order per run). One statement per turn instead of one per run: Prisma's per-query
 * cost on the main thread was what held the event loop up with 200 concurrent runs.
 */
export class EventWriter {
  private writes: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Tries in a row that met an unreachable database (the pause before the next one grows with it). */
  private outageRetries = 0;

  constructor(private readonly options: EventWriterOptions) {}

  /**
   * Writes pending events a few milliseconds from now (AURA_EVENT_BATCH_MS, default 4; 0 = once this
   * turn of the event loop is over), collecting every worker message meanwhile. Runs do not wait for
   * their events to be stored (the workers go on), and a run's end is flushed at once when it settles,
   * so the window costs no run latency; it turns the ~12 statements a 10-step run caused (one per step
   * per turn) into a few per window for all runs: each INSERT through Prisma costs ~0.3 ms of the
   * main thread.
   */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    const ms = eventBatchMs();
    if (ms > 0) setTimeout(run, ms);
    else setImmediate(run);
  }

  /**
   * Persists and publishes every pending event now. Writes are serialised: a caller that awaits this
   * knows every event pending at the call is stored and published.
   */
  flush(): Promise<void> {
    this.writes = this.writes.then(async () => {
      const runs = [...this.options.runs()].filter((a) => a.pending.length);
      if (!runs.length || this.options.closing()) return;
      const batches = runs.map((a) => ({ runId: a.runId, events: a.pending.splice(0), firstSeq: a.nextSeq }));
      try {
        const stored = await appendRunEventBatches(await this.options.database(), batches);
        this.outageRetries = 0;
        runs.forEach((a, i) => {
          a.writeFailures = 0;
          noteStoredEvents(a, stored[i]);
        });
        this.options.publish(stored.flat());
      } catch (err) {
        // Nothing was stored (one atomic INSERT): put the events back and try again shortly. A run whose
        // events keep failing (its row was deleted with its workflow) gives up after a few tries.
        // An unreachable database (restart, failover) is no reason to give up: the events wait, tried again
        // with a growing pause (up to 2 s), as long as the run is here.
        const unavailable = isDatabaseUnavailable(err);
        this.options.onError(unavailable ? "database unavailable: run events wait" : "persisting run events failed", { runs: runs.length, err: String(err) });
        const retryMs = unavailable ? Math.min(2000, WRITE_RETRY_MS * 2 ** Math.min(4, this.outageRetries++)) : WRITE_RETRY_MS;
        runs.forEach((a, i) => {
          if (unavailable || ++a.writeFailures <= MAX_WRITE_FAILURES) a.pending.unshift(...batches[i].events);
        });
        if (runs.some((a) => a.pending.length)) this.options.clock.after(retryMs, () => this.schedule(), { unref: true });
      }
    });
    return this.writes;
  }
}
