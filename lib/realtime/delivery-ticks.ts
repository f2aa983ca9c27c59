import type { RunEvent } from "../contracts/events";
import type { RunEventsMessage } from "../contracts/protocol";
import type { RunEventCache } from "./run-event-cache";
import type { RunEventSource } from "../contracts/run-event-source";
import type { Cursor, DeliveryTarget, SendMessage, Subscriber } from "./delivery-subscriber";

export interface DeliveryTicksOptions<T extends DeliveryTarget> {
  source: Pick<RunEventSource, "listAfter">;
  /** The shared per-run caches (owned by RunDelivery). */
  caches: ReadonlyMap<string, RunEventCache>;
  /** The run's workflow when known (tags each message). */
  workflowOf: (runId: string) => string | undefined;
  send: SendMessage<T>;
  flushIntervalMs: number;
  maxBatch: number;
  maxQueuedPackets: number;
  onDeliver?: (message: RunEventsMessage, receivers: number) => void;
  log: (level: "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

/** Wait before reading the store again after a failed or inconsistent read. */
const STORE_RETRY_MS = 1000;

/**
 * The batching half of delivery: which (subscriber, run) pairs have something due, and one tick that
 * sends each of them the events after its cursor, from the shared cache when it holds `lastSent + 1`,
 * otherwise from a store read started for the next tick. At most one tick per `flushIntervalMs`.
 */
export class DeliveryTicks<T extends DeliveryTarget> {
  readonly counters = { messagesSent: 0, storeQueries: 0, backpressureSkips: 0 };
  private readonly dirtySubscribers = new Set<Subscriber<T>>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastTick = 0;
  private closed = false;

  constructor(private readonly o: DeliveryTicksOptions<T>) {}

  /** The run may have something for the subscriber: look at it at the next tick. */
  markDirty(sub: Subscriber<T>, runId: string): void {
    if (sub.closed) return;
    sub.dirty.add(runId);
    this.dirtySubscribers.add(sub);
    this.schedule();
  }

  /** Forgets a subscriber that went away. */
  forget(sub: Subscriber<T>): void {
    this.dirtySubscribers.delete(sub);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule() {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.lastTick + this.o.flushIntervalMs - Date.now()));
  }

  /** One tick: every dirty subscriber gets what is due; identical slices are sent once to all their receivers. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastTick = Date.now();
    const groups = new Map<string, { message: RunEventsMessage; receivers: T[] }>();
    let skipped = false;
    for (const sub of this.dirtySubscribers) {
      if (sub.closed) {
        this.dirtySubscribers.delete(sub);
        continue;
      }
      if (sub.target.queuedPackets() > this.o.maxQueuedPackets) {
        skipped = true;
        continue;
      }
      for (const runId of sub.dirty) {
        const cursor = sub.cursors.get(runId);
        if (!cursor) {
          sub.dirty.delete(runId);
          continue;
        }
        const batch = cursor.fetching ? null : this.nextBatch(sub, runId, cursor);
        if (batch && batch.events.length) {
          let group = groups.get(batch.key);
          if (!group) {
            const workflowId = this.o.workflowOf(runId);
            group = { message: workflowId ? { runId, workflowId, events: batch.events } : { runId, events: batch.events }, receivers: [] };
            groups.set(batch.key, group);
          }
          group.receivers.push(sub.target);
          cursor.lastSent = batch.events[batch.events.length - 1].seq;
          // Replay of a long run: read the next page now so it is ready at the next tick.
          if (cursor.needsSource) this.startFetch(sub, runId, cursor);
        }
        if (!this.hasMore(runId, cursor)) sub.dirty.delete(runId);
      }
      if (sub.dirty.size === 0) this.dirtySubscribers.delete(sub);
    }
    if (skipped) this.counters.backpressureSkips++;
    for (const { message, receivers } of groups.values()) {
      this.counters.messagesSent += receivers.length;
      this.o.send(receivers, message);
      this.o.onDeliver?.(message, receivers.length);
    }
    if (this.dirtySubscribers.size) this.schedule();
  }

  /**
   * What one subscriber gets for one run at this tick: the events to send, and a key that is equal for
   * every subscriber receiving the very same slice (so it is encoded once); or null.
   */
  private nextBatch(sub: Subscriber<T>, runId: string, cursor: Cursor): { key: string; events: RunEvent[] } | null {
    if (cursor.fetched) {
      const events = cursor.fetched;
      cursor.fetched = null;
      return { key: `${sub.id}\u0000${runId}`, events };
    }
    const cache = this.o.caches.get(runId);
    if (!cursor.needsSource && cache?.covers(cursor.lastSent)) {
      const events = cache.sliceAfter(cursor.lastSent, this.o.maxBatch);
      return { key: `${runId}\u0000${cursor.lastSent}\u0000${events.length}`, events };
    }
    if (cursor.needsSource || this.cacheIsAhead(runId, cursor)) this.startFetch(sub, runId, cursor);
    return null;
  }

  private hasMore(runId: string, cursor: Cursor): boolean {
    // A running fetch, or a scheduled retry, marks the run dirty again when it is due.
    if (cursor.fetching || cursor.retryScheduled) return false;
    return cursor.fetched !== null || cursor.needsSource || this.cacheIsAhead(runId, cursor);
  }

  private cacheIsAhead(runId: string, cursor: Cursor): boolean {
    const cache = this.o.caches.get(runId);
    return !!cache && cache.size > 0 && cache.lastSeq > cursor.lastSent;
  }

  private startFetch(sub: Subscriber<T>, runId: string, cursor: Cursor) {
    if (cursor.fetching) return;
    const wait = cursor.retryAt - Date.now();
    if (wait > 0) {
      if (!cursor.retryScheduled) {
        cursor.retryScheduled = true;
        setTimeout(() => {
          cursor.retryScheduled = false;
          this.markDirty(sub, runId);
        }, wait).unref?.();
      }
      return;
    }
    cursor.fetching = true;
    const after = cursor.lastSent;
    this.counters.storeQueries++;
    this.o.source.listAfter(runId, after, this.o.maxBatch).then(
      (events) => {
        cursor.fetching = false;
        if (sub.closed || sub.cursors.get(runId) !== cursor || cursor.lastSent !== after) return;
        const fresh = ascendingAfter(events, after);
        cursor.needsSource = events.length >= this.o.maxBatch;
        if (fresh.length) cursor.fetched = fresh;
        else {
          const cache = this.o.caches.get(runId);
          if (cache && cache.size && cache.lastSeq > after && !cache.covers(after)) {
            // The cache saw later events that the store does not have: someone published before persisting.
            this.o.log("warn", "store is behind published events; retrying", { runId, after, cacheFirst: cache.firstSeq });
            cursor.retryAt = Date.now() + STORE_RETRY_MS;
          }
        }
        this.markDirty(sub, runId);
      },
      (err: unknown) => {
        cursor.fetching = false;
        cursor.retryAt = Date.now() + STORE_RETRY_MS;
        this.o.log("error", "listAfter failed; retrying", { runId, after, err: String(err) });
        this.markDirty(sub, runId);
      },
    );
  }
}

/** The events with seq > after, strictly ascending (defensive against overlapping store pages). */
function ascendingAfter(events: readonly RunEvent[], after: number): RunEvent[] {
  const out: RunEvent[] = [];
  let last = after;
  for (const e of events) {
    if (e.seq <= last) continue;
    out.push(e);
    last = e.seq;
  }
  return out;
}
