import type { RunEvent } from "../contracts/events";
import type { RunEventsMessage } from "../contracts/protocol";
import { RunEventCache } from "./run-event-cache";
import type { RunEventSource, RunInfo } from "../contracts/run-event-source";
import { RunInfoCache } from "./run-info-cache";
import { Cursor, Subscriber, type DeliveryTarget, type SendMessage } from "./delivery-subscriber";
import { DeliveryTicks } from "./delivery-ticks";

/**
 * Delivery of published run events to subscribers, batched per tick, without sockets: the socket
 * server hands it targets and a `send` function; tests hand it plain objects.
 *
 * Why there is no gap and no duplicate:
 * - Published events go into ONE shared per-run cache (a contiguous seq range).
 * - Each subscriber has only a cursor per run: `lastSent`, the last seq handed to its target.
 * - At every flush tick (at most 1000/flushIntervalMs per second, default 20) each subscriber gets, per
 *   run, the events after its cursor: from the cache when the cache holds `lastSent + 1`, otherwise from
 *   the event store (`listAfter`). Since events are persisted before they are published, the store
 *   always has whatever the cache is missing. A cursor only moves forward and only by contiguous
 *   batches, so events published while a replay query runs are neither lost nor sent twice.
 * - Per-subscriber memory is a cursor (plus at most one fetched batch). A target that stops draining
 *   (more than `maxQueuedPackets` packets queued) is skipped until it drains; by then the cache may
 *   have moved on and it re-syncs from the store.
 */
export interface RunDeliveryOptions<T extends DeliveryTarget> {
  source: Pick<RunEventSource, "listAfter" | "runInfo">;
  send: SendMessage<T>;
  /** Minimum time between two deliveries to one subscriber (default 50 ms: at most ~20 a second). */
  flushIntervalMs?: number;
  /** Most events in one message and in one store query (default 1000). */
  maxBatch?: number;
  /** Recent events kept per run for live delivery (default 4096). */
  cachePerRun?: number;
  /** A target with more packets waiting than this is skipped until it drains (default 16). */
  maxQueuedPackets?: number;
  /** Called once per sent message (a broadcast counts once) with its receiver count. */
  onDeliver?: (message: RunEventsMessage, receivers: number) => void;
  log: (level: "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

export interface DeliveryStats {
  clients: number;
  cachedRuns: number;
  /** Messages handed to targets (a broadcast to n targets counts n). */
  messagesSent: number;
  /** Store queries made for replay and re-sync. */
  storeQueries: number;
  /** Ticks in which at least one target was skipped because it did not drain. */
  backpressureSkips: number;
}

/** Caches of runs nobody subscribed to explicitly are dropped after this long without events. */
const IDLE_CACHE_MS = 60_000;
const SWEEP_INTERVAL_MS = 15_000;

export class RunDelivery<T extends DeliveryTarget = DeliveryTarget> {
  private readonly cachePerRun: number;
  private readonly subscribers = new Map<string, Subscriber<T>>();
  private readonly runSubscribers = new Map<string, Set<Subscriber<T>>>();
  private readonly workflowSubscribers = new Map<string, Set<Subscriber<T>>>();
  private readonly caches = new Map<string, RunEventCache>();
  private readonly runInfos: RunInfoCache;
  private readonly pendingWorkflowLookups = new Set<string>();
  private readonly ticks: DeliveryTicks<T>;
  private closed = false;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(private readonly options: RunDeliveryOptions<T>) {
    this.cachePerRun = options.cachePerRun ?? 4096;
    this.runInfos = new RunInfoCache(options.source);
    this.ticks = new DeliveryTicks({
      source: options.source,
      caches: this.caches,
      workflowOf: (runId) => this.workflowOf(runId),
      send: options.send,
      flushIntervalMs: options.flushIntervalMs ?? 50,
      maxBatch: options.maxBatch ?? 1000,
      maxQueuedPackets: options.maxQueuedPackets ?? 16,
      onDeliver: options.onDeliver,
      log: options.log,
    });
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref?.();
  }

  // ---- subscribers and subscriptions ----

  addSubscriber(target: T): Subscriber<T> {
    const sub = new Subscriber(target);
    this.subscribers.set(target.id, sub);
    return sub;
  }

  removeSubscriber(sub: Subscriber<T>): void {
    sub.closed = true;
    this.subscribers.delete(sub.id);
    this.ticks.forget(sub);
    for (const runId of sub.cursors.keys()) this.dropCursor(sub, runId);
    for (const workflowId of sub.workflows) this.removeFrom(this.workflowSubscribers, workflowId, sub);
  }

  /**
   * Starts (or restarts) delivery of the run's events after `afterSeq`. A new cursor object: a store
   * read still running for the old one is discarded when it returns. When the shared cache already
   * starts at or before afterSeq + 1, it holds everything later that was published, and anything
   * persisted later will be published: no store read needed.
   */
  subscribeRun(sub: Subscriber<T>, runId: string, afterSeq: number): void {
    const cache = this.caches.get(runId);
    const cacheSuffices = !!cache && cache.size > 0 && cache.firstSeq <= afterSeq + 1;
    sub.cursors.set(runId, new Cursor(afterSeq, !cacheSuffices, true));
    this.addTo(this.runSubscribers, runId, sub);
    this.ticks.markDirty(sub, runId);
  }

  unsubscribeRun(sub: Subscriber<T>, runId: string): void {
    const cursor = sub.cursors.get(runId);
    this.removeFrom(this.runSubscribers, runId, sub);
    const workflowId = this.runInfos.peek(runId)?.workflowId;
    // Still watched through its workflow: keep the cursor so nothing is sent twice.
    if (cursor && workflowId && sub.workflows.has(workflowId)) cursor.explicit = false;
    else this.dropCursor(sub, runId);
  }

  /** New events of every run of the workflow from now on (live only, no replay). */
  subscribeWorkflow(sub: Subscriber<T>, workflowId: string): void {
    sub.workflows.add(workflowId);
    this.addTo(this.workflowSubscribers, workflowId, sub);
  }

  unsubscribeWorkflow(sub: Subscriber<T>, workflowId: string): void {
    sub.workflows.delete(workflowId);
    this.removeFrom(this.workflowSubscribers, workflowId, sub);
    for (const [runId, cursor] of sub.cursors) {
      if (!cursor.explicit && this.workflowOf(runId) === workflowId) this.dropCursor(sub, runId);
    }
  }

  /** The run's workspace and workflow (cached: runs never move); null when there is no such run. */
  async lookupRun(runId: string): Promise<RunInfo | null> {
    const info = await this.runInfos.lookup(runId);
    const cache = this.caches.get(runId);
    if (info && cache) cache.workflowId = info.workflowId;
    return info;
  }

  /**
   * Events published by another process may never have arrived here (the cross-process link, Redis,
   * was down): every run subscription reads the store after its cursor at the next tick, so what was
   * missed arrives, once and in order, even for a run that ended meanwhile (nothing later would
   * reveal the gap).
   */
  resync(): void {
    for (const [runId, subs] of this.runSubscribers) {
      for (const sub of subs) {
        const cursor = sub.cursors.get(runId);
        if (!cursor) continue;
        cursor.needsSource = true;
        this.ticks.markDirty(sub, runId);
      }
    }
  }

  // ---- publish ----

  /** Takes events that were ALREADY persisted (in seq order per run) and schedules their delivery. */
  publish(events: readonly RunEvent[]): void {
    if (this.closed || events.length === 0) return;
    const firstNew = new Map<string, number>();
    for (const e of events) {
      let cache = this.caches.get(e.runId);
      if (!cache) {
        if (!this.isWatched(e.runId)) continue;
        cache = new RunEventCache(this.cachePerRun);
        cache.workflowId = this.runInfos.peek(e.runId)?.workflowId;
        this.caches.set(e.runId, cache);
      }
      if (cache.append(e) && !firstNew.has(e.runId)) firstNew.set(e.runId, e.seq);
    }
    for (const [runId, firstSeq] of firstNew) {
      for (const sub of this.runSubscribers.get(runId) ?? []) this.ticks.markDirty(sub, runId);
      if (this.workflowSubscribers.size === 0) continue;
      const workflowId = this.caches.get(runId)?.workflowId;
      if (workflowId) this.deliverToWorkflow(workflowId, runId, firstSeq);
      else if (!this.pendingWorkflowLookups.has(runId)) {
        // Run events do not carry their workflow: look it up once (the earliest firstSeq wins).
        this.pendingWorkflowLookups.add(runId);
        this.lookupRun(runId)
          .then((info) => {
            if (info) this.deliverToWorkflow(info.workflowId, runId, firstSeq);
          })
          .catch((err: unknown) => this.options.log("error", "runInfo failed", { runId, err: String(err) }))
          .finally(() => this.pendingWorkflowLookups.delete(runId));
      }
    }
  }

  private deliverToWorkflow(workflowId: string, runId: string, firstSeq: number) {
    for (const sub of this.workflowSubscribers.get(workflowId) ?? []) {
      if (!sub.cursors.has(runId)) sub.cursors.set(runId, new Cursor(firstSeq - 1, false, false));
      this.ticks.markDirty(sub, runId);
    }
  }

  /** Whether anyone here may want the run's live events (else nothing is cached; subscribers replay from the store). */
  private isWatched(runId: string): boolean {
    if (this.runSubscribers.has(runId)) return true;
    if (this.workflowSubscribers.size === 0) return false;
    const workflowId = this.workflowOf(runId);
    return workflowId === undefined || this.workflowSubscribers.has(workflowId);
  }

  // ---- memory ----

  /**
   * Evicts caches of runs that nobody watches any more, or that went quiet and only a workflow
   * subscription watches; drops caught-up workflow-only cursors with them.
   */
  sweep(now = Date.now()): void {
    for (const [runId, cache] of this.caches) {
      if (this.runSubscribers.has(runId)) continue;
      if (this.isWatched(runId) && now - cache.touchedAt < IDLE_CACHE_MS) continue;
      this.caches.delete(runId);
      for (const sub of this.subscribers.values()) {
        const cursor = sub.cursors.get(runId);
        if (cursor && !cursor.explicit && !cursor.fetching && !cursor.fetched && cursor.lastSent >= cache.lastSeq) sub.cursors.delete(runId);
      }
    }
  }

  /** Sends what is due now instead of at the next tick (tests). */
  flush(): void {
    this.ticks.flush();
  }

  stats(): DeliveryStats {
    return { clients: this.subscribers.size, cachedRuns: this.caches.size, ...this.ticks.counters };
  }

  /** Stops ticking and sweeping; nothing is delivered after this. */
  close(): void {
    this.closed = true;
    this.ticks.close();
    clearInterval(this.sweeper);
  }

  private workflowOf(runId: string): string | undefined {
    return this.caches.get(runId)?.workflowId ?? this.runInfos.peek(runId)?.workflowId;
  }

  private dropCursor(sub: Subscriber<T>, runId: string) {
    sub.cursors.delete(runId);
    sub.dirty.delete(runId);
    this.removeFrom(this.runSubscribers, runId, sub);
  }

  private addTo(index: Map<string, Set<Subscriber<T>>>, key: string, sub: Subscriber<T>) {
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(sub);
  }

  private removeFrom(index: Map<string, Set<Subscriber<T>>>, key: string, sub: Subscriber<T>) {
    const set = index.get(key);
    if (!set) return;
    set.delete(sub);
    if (set.size === 0) index.delete(key);
  }
}
