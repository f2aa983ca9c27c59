import type { Server, Socket } from "socket.io";
import type { RunEvent } from "./events";
import {
  DEFAULT_WORKSPACE_ID,
  RunSubscribeSchema,
  RunUnsubscribeSchema,
  WorkflowSubscribeSchema,
  WorkflowUnsubscribeSchema,
  describeZodError,
  realtimeError,
  runRoom,
  workflowRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type RealtimeSocketData,
  type RunEventsMessage,
  type ServerToClientEvents,
} from "./protocol";
import { RunEventCache } from "./run-event-cache";
import type { RunEventSource, RunInfo } from "./run-event-source";

/**
 * The realtime server: rooms per run and per workflow, workspace checks on every join, replay from the
 * event store, then live events, batched per client.
 *
 * Delivery model (why there is no gap and no duplicate):
 * - Published events go into ONE shared per-run cache (a contiguous seq range).
 * - Each subscriber has only a cursor per run: `lastSent`, the last seq handed to its socket.
 * - At every flush tick (at most 1000/flushIntervalMs per second, default 20) each client gets, per run,
 *   the events after its cursor: from the cache when the cache holds `lastSent + 1`, otherwise from the
 *   event store (`listAfter`). Since events are persisted before they are published, the store always
 *   has whatever the cache is missing. A cursor only moves forward and only by contiguous batches, so
 *   events published while a replay query runs are neither lost nor sent twice.
 * - Per-client memory is a cursor (plus at most one fetched batch). A client whose socket stops draining
 *   (more than `maxQueuedPackets` packets queued) is skipped until it drains; by then the cache may have
 *   moved on and it re-syncs from the store.
 *
 * Many server processes: install a multi-node adapter (e.g. `io.adapter(createAdapter(pub, sub))`
 * from @socket.io/redis-adapter) and pass `crossProcess: true`. `publish` then forwards the events
 * with `io.serverSideEmit`, and every process delivers them to its own sockets through the same cache
 * and cursors; replay reads the shared database, so nothing else changes.
 */

export interface RealtimeServerOptions {
  source: RunEventSource;
  /**
   * The workspace of a connecting socket, from its handshake (cookie, token…); null rejects the
   * connection with UNAUTHORIZED. Default: every socket is in the default workspace.
   */
  authenticate?: (handshake: Socket["handshake"]) => string | null | Promise<string | null>;
  /** Minimum time between two deliveries to one client (default 50 ms: at most ~20 a second). */
  flushIntervalMs?: number;
  /** Most events in one `run:events` message and in one store query (default 1000). */
  maxBatch?: number;
  /** Recent events kept per run for live delivery (default 4096). */
  cachePerRun?: number;
  /** A client with more packets waiting in its socket than this is skipped until it drains (default 16). */
  maxQueuedPackets?: number;
  /** Run plus workflow subscriptions one socket may hold (default 200). */
  maxSubscriptionsPerSocket?: number;
  /** Forward published events to the other server processes (needs a multi-node adapter). */
  crossProcess?: boolean;
  /** Called once per sent message (a broadcast counts once) with its receiver count: metrics, benches. */
  onDeliver?: (message: RunEventsMessage, receivers: number) => void;
  /** Structured log sink (default: JSON lines on console.error for warnings). */
  log?: (level: "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

export interface RealtimeServer {
  /** Delivers events that were ALREADY persisted (in seq order per run) to every subscriber. */
  publish(events: readonly RunEvent[]): void;
  /** Counters for tests, benches and health checks. */
  stats(): RealtimeStats;
  /** Detaches from the io server (does not close it). */
  close(): void;
}

export interface RealtimeStats {
  clients: number;
  cachedRuns: number;
  /** `run:events` messages handed to sockets (a broadcast to n sockets counts n). */
  messagesSent: number;
  /** Store queries made for replay and re-sync. */
  storeQueries: number;
  /** Ticks in which at least one client was skipped because its socket did not drain. */
  backpressureSkips: number;
}

type RealtimeIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, RealtimeSocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, RealtimeSocketData>;

/** One subscriber's position in one run. */
class Cursor {
  fetching = false;
  /** A batch read from the store, sent at the next tick. */
  fetched: RunEvent[] | null = null;
  /** After a failed or inconsistent store read: no new read before this time. */
  retryAt = 0;
  retryScheduled = false;
  constructor(
    /** Last seq handed to the socket. */
    public lastSent: number,
    /** The store may hold events after lastSent that the cache does not (replay, long runs). */
    public needsSource: boolean,
    /** Subscribed by `run:subscribe` (otherwise only through a workflow subscription). */
    public explicit: boolean,
  ) {}
}

class Client {
  /** Starts a request about `key` and returns a check that it is still the latest one. */
  begin(key: string): () => boolean {
    const n = (this.requests.get(key) ?? 0) + 1;
    this.requests.set(key, n);
    return () => this.requests.get(key) === n;
  }

  readonly cursors = new Map<string, Cursor>();
  readonly workflows = new Set<string>();
  /** Per run or workflow: number of the latest request, so a slow older request never overrides a newer one. */
  readonly requests = new Map<string, number>();
  /** Runs with something (possibly) to send. */
  readonly dirty = new Set<string>();
  closed = false;
  constructor(
    readonly socket: RealtimeSocket,
    readonly workspaceId: string,
  ) {}
  get id() {
    return this.socket.id;
  }
}

const noopAck = () => {};

/**
 * Attaches the realtime protocol to a Socket.IO server (server.ts does this once per process) and
 * returns the publisher. Call `publish` only after the events are persisted.
 */
export function attachRealtime(ioServer: Server, options: RealtimeServerOptions): RealtimeServer {
  const io = ioServer as unknown as RealtimeIo;
  const { source } = options;
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  const maxBatch = options.maxBatch ?? 1000;
  const cachePerRun = options.cachePerRun ?? 4096;
  const maxQueuedPackets = options.maxQueuedPackets ?? 16;
  const maxSubscriptions = options.maxSubscriptionsPerSocket ?? 200;
  const authenticate = options.authenticate ?? (() => DEFAULT_WORKSPACE_ID);
  const log =
    options.log ?? ((level, msg, fields) => console.error(JSON.stringify({ level, msg: `realtime: ${msg}`, ...fields })));

  const clients = new Map<string, Client>();
  const runSubscribers = new Map<string, Set<Client>>();
  const workflowSubscribers = new Map<string, Set<Client>>();
  const caches = new Map<string, RunEventCache>();
  const runInfos = new Map<string, RunInfo>();
  const pendingWorkflowLookups = new Set<string>();
  const dirtyClients = new Set<Client>();
  const stats = { messagesSent: 0, storeQueries: 0, backpressureSkips: 0 };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastTick = 0;
  let closed = false;

  // ---- run info (workspace + workflow of a run), cached: runs never move ----
  async function lookupRun(runId: string): Promise<RunInfo | null> {
    const known = runInfos.get(runId);
    if (known) return known;
    const info = await source.runInfo(runId);
    if (info) {
      if (runInfos.size > 50_000) runInfos.clear();
      runInfos.set(runId, info);
      const cache = caches.get(runId);
      if (cache) cache.workflowId = info.workflowId;
    }
    return info;
  }

  // ---- scheduling ----
  function schedule() {
    if (timer || closed) return;
    timer = setTimeout(tick, Math.max(0, lastTick + flushIntervalMs - Date.now()));
  }

  function markDirty(client: Client, runId: string) {
    if (client.closed) return;
    client.dirty.add(runId);
    dirtyClients.add(client);
    schedule();
  }

  function isBackpressured(client: Client): boolean {
    // engine.io queues packets here while the transport has not finished writing the previous ones.
    const queued = (client.socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
    return queued > maxQueuedPackets;
  }

  function startFetch(client: Client, runId: string, cursor: Cursor) {
    if (cursor.fetching) return;
    const wait = cursor.retryAt - Date.now();
    if (wait > 0) {
      if (!cursor.retryScheduled) {
        cursor.retryScheduled = true;
        setTimeout(() => {
          cursor.retryScheduled = false;
          markDirty(client, runId);
        }, wait).unref?.();
      }
      return;
    }
    cursor.fetching = true;
    const after = cursor.lastSent;
    stats.storeQueries++;
    source.listAfter(runId, after, maxBatch).then(
      (events) => {
        cursor.fetching = false;
        if (client.closed || client.cursors.get(runId) !== cursor || cursor.lastSent !== after) return;
        const fresh = ascendingAfter(events, after);
        cursor.needsSource = events.length >= maxBatch;
        if (fresh.length) cursor.fetched = fresh;
        else {
          const cache = caches.get(runId);
          if (cache && cache.size && cache.lastSeq > after && !cache.covers(after)) {
            // The cache saw later events that the store does not have: someone published before persisting.
            log("warn", "store is behind published events; retrying", { runId, after, cacheFirst: cache.firstSeq });
            cursor.retryAt = Date.now() + 1000;
          }
        }
        markDirty(client, runId);
      },
      (err: unknown) => {
        cursor.fetching = false;
        cursor.retryAt = Date.now() + 1000;
        log("error", "listAfter failed; retrying", { runId, after, err: String(err) });
        markDirty(client, runId);
      },
    );
  }

  /**
   * Decides what one client gets for one run at this tick. Returns the events to send (and a key that
   * is equal for every client receiving the very same slice, so it is encoded once), or null.
   */
  function nextBatch(client: Client, runId: string, cursor: Cursor): { key: string; events: RunEvent[] } | null {
    if (cursor.fetched) {
      const events = cursor.fetched;
      cursor.fetched = null;
      return { key: `${client.id}\u0000${runId}`, events };
    }
    const cache = caches.get(runId);
    if (!cursor.needsSource && cache?.covers(cursor.lastSent)) {
      const events = cache.sliceAfter(cursor.lastSent, maxBatch);
      return { key: `${runId}\u0000${cursor.lastSent}\u0000${events.length}`, events };
    }
    if (cursor.needsSource || (cache && cache.size > 0 && cache.lastSeq > cursor.lastSent)) startFetch(client, runId, cursor);
    return null;
  }

  function hasMore(runId: string, cursor: Cursor): boolean {
    // A running fetch, or a scheduled retry, marks the run dirty again when it is due.
    if (cursor.fetching || cursor.retryScheduled) return false;
    const cache = caches.get(runId);
    return cursor.fetched !== null || cursor.needsSource || (!!cache && cache.size > 0 && cache.lastSeq > cursor.lastSent);
  }

  function tick() {
    timer = null;
    lastTick = Date.now();
    const groups = new Map<string, { message: RunEventsMessage; clients: Client[] }>();
    let skipped = false;
    for (const client of dirtyClients) {
      if (client.closed) {
        dirtyClients.delete(client);
        continue;
      }
      if (isBackpressured(client)) {
        skipped = true;
        continue;
      }
      for (const runId of client.dirty) {
        const cursor = client.cursors.get(runId);
        if (!cursor) {
          client.dirty.delete(runId);
          continue;
        }
        const batch = cursor.fetching ? null : nextBatch(client, runId, cursor);
        if (batch && batch.events.length) {
          let group = groups.get(batch.key);
          if (!group) {
            const workflowId = caches.get(runId)?.workflowId ?? runInfos.get(runId)?.workflowId;
            group = { message: workflowId ? { runId, workflowId, events: batch.events } : { runId, events: batch.events }, clients: [] };
            groups.set(batch.key, group);
          }
          group.clients.push(client);
          cursor.lastSent = batch.events[batch.events.length - 1].seq;
          // Replay of a long run: read the next page now so it is ready at the next tick.
          if (cursor.needsSource) startFetch(client, runId, cursor);
        }
        if (!hasMore(runId, cursor)) client.dirty.delete(runId);
      }
      if (client.dirty.size === 0) dirtyClients.delete(client);
    }
    if (skipped) stats.backpressureSkips++;
    for (const { message, clients: receivers } of groups.values()) {
      stats.messagesSent += receivers.length;
      if (receivers.length === 1) receivers[0].socket.emit("run:events", message);
      // One broadcast encodes the packet once for all receivers; `local`: never via the adapter.
      else io.local.to(receivers.map((c) => c.id)).emit("run:events", message);
      options.onDeliver?.(message, receivers.length);
    }
    if (dirtyClients.size) schedule();
  }

  // ---- publish ----
  function deliverToWorkflow(workflowId: string, runId: string, firstSeq: number) {
    const subs = workflowSubscribers.get(workflowId);
    if (!subs) return;
    for (const client of subs) {
      if (!client.cursors.has(runId)) client.cursors.set(runId, new Cursor(firstSeq - 1, false, false));
      markDirty(client, runId);
    }
  }

  /** Whether anyone here may want the run's live events (else nothing is cached; subscribers replay from the store). */
  function isWatched(runId: string): boolean {
    if (runSubscribers.has(runId)) return true;
    if (workflowSubscribers.size === 0) return false;
    const workflowId = caches.get(runId)?.workflowId ?? runInfos.get(runId)?.workflowId;
    return workflowId === undefined || workflowSubscribers.has(workflowId);
  }

  function publishLocal(events: readonly RunEvent[]) {
    const firstNew = new Map<string, number>();
    for (const e of events) {
      let cache = caches.get(e.runId);
      if (!cache) {
        if (!isWatched(e.runId)) continue;
        cache = new RunEventCache(cachePerRun);
        cache.workflowId = runInfos.get(e.runId)?.workflowId;
        caches.set(e.runId, cache);
      }
      if (cache.append(e) && !firstNew.has(e.runId)) firstNew.set(e.runId, e.seq);
    }
    for (const [runId, firstSeq] of firstNew) {
      for (const client of runSubscribers.get(runId) ?? []) markDirty(client, runId);
      if (workflowSubscribers.size === 0) continue;
      const workflowId = caches.get(runId)?.workflowId;
      if (workflowId) deliverToWorkflow(workflowId, runId, firstSeq);
      else if (!pendingWorkflowLookups.has(runId)) {
        // Run events do not carry their workflow: look it up once (the earliest firstSeq wins).
        pendingWorkflowLookups.add(runId);
        lookupRun(runId)
          .then((info) => {
            if (info) deliverToWorkflow(info.workflowId, runId, firstSeq);
          })
          .catch((err: unknown) => log("error", "runInfo failed", { runId, err: String(err) }))
          .finally(() => pendingWorkflowLookups.delete(runId));
      }
    }
  }

  function publish(events: readonly RunEvent[]) {
    if (closed || events.length === 0) return;
    publishLocal(events);
    if (options.crossProcess) io.serverSideEmit("aura:run-events", [...events]);
  }

  // ---- subscriptions ----
  function subscriptionCount(client: Client) {
    let explicit = 0;
    for (const c of client.cursors.values()) if (c.explicit) explicit++;
    return explicit + client.workflows.size;
  }

  function dropCursor(client: Client, runId: string) {
    client.cursors.delete(runId);
    client.dirty.delete(runId);
    runSubscribers.get(runId)?.delete(client);
    if (runSubscribers.get(runId)?.size === 0) runSubscribers.delete(runId);
  }

  function onConnection(socket: RealtimeSocket) {
    const client = new Client(socket, socket.data.workspaceId);
    clients.set(socket.id, client);

    socket.on("run:subscribe", async (payload, ack) => {
      const reply = typeof ack === "function" ? ack : noopAck;
      const parsed = RunSubscribeSchema.safeParse(payload);
      if (!parsed.success) return reply(realtimeError("BAD_REQUEST", describeZodError(parsed.error)));
      const { runId, afterSeq } = parsed.data;
      const latest = client.begin(`run:${runId}`);
      let info: RunInfo | null;
      try {
        info = await lookupRun(runId);
      } catch (err) {
        log("error", "runInfo failed", { runId, err: String(err) });
        return reply(realtimeError("INTERNAL", "Could not look up the run; retry later"));
      }
      if (!info) return reply(realtimeError("RUN_NOT_FOUND", `No run ${runId}; check the id`));
      if (info.workspaceId !== client.workspaceId) return reply(realtimeError("FORBIDDEN", `Run ${runId} belongs to another workspace`));
      if (client.closed) return;
      // A later subscribe or unsubscribe of this run arrived while we looked the run up: it decides.
      if (!latest()) return reply({ ok: true });
      const existing = client.cursors.get(runId);
      if (!existing?.explicit && subscriptionCount(client) >= maxSubscriptions) {
        return reply(realtimeError("TOO_MANY_SUBSCRIPTIONS", `At most ${maxSubscriptions} subscriptions per connection; unsubscribe from runs you no longer show`));
      }
      // A new cursor object: a store read still running for the old one is discarded when it returns.
      // When the shared cache already starts at or before afterSeq + 1, it holds everything later
      // that was published, and anything persisted later will be published: no store read needed.
      const cache = caches.get(runId);
      const cacheSuffices = !!cache && cache.size > 0 && cache.firstSeq <= afterSeq + 1;
      client.cursors.set(runId, new Cursor(afterSeq, !cacheSuffices, true));
      let subs = runSubscribers.get(runId);
      if (!subs) runSubscribers.set(runId, (subs = new Set()));
      subs.add(client);
      void socket.join(runRoom(runId));
      reply({ ok: true });
      markDirty(client, runId);
    });

    socket.on("run:unsubscribe", (payload, ack) => {
      const reply = typeof ack === "function" ? ack : noopAck;
      const parsed = RunUnsubscribeSchema.safeParse(payload);
      if (!parsed.success) return reply(realtimeError("BAD_REQUEST", describeZodError(parsed.error)));
      const { runId } = parsed.data;
      client.begin(`run:${runId}`);
      const cursor = client.cursors.get(runId);
      runSubscribers.get(runId)?.delete(client);
      void socket.leave(runRoom(runId));
      const workflowId = runInfos.get(runId)?.workflowId;
      // Still watched through its workflow: keep the cursor so nothing is sent twice.
      if (cursor && workflowId && client.workflows.has(workflowId)) cursor.explicit = false;
      else dropCursor(client, runId);
      reply({ ok: true });
    });

    socket.on("workflow:subscribe", async (payload, ack) => {
      const reply = typeof ack === "function" ? ack : noopAck;
      const parsed = WorkflowSubscribeSchema.safeParse(payload);
      if (!parsed.success) return reply(realtimeError("BAD_REQUEST", describeZodError(parsed.error)));
      const { workflowId } = parsed.data;
      const latest = client.begin(`workflow:${workflowId}`);
      let workspaceId: string | null;
      try {
        workspaceId = await source.workspaceOfWorkflow(workflowId);
      } catch (err) {
        log("error", "workspaceOfWorkflow failed", { workflowId, err: String(err) });
        return reply(realtimeError("INTERNAL", "Could not look up the workflow; retry later"));
      }
      if (!workspaceId) return reply(realtimeError("WORKFLOW_NOT_FOUND", `No workflow ${workflowId}; check the id`));
      if (workspaceId !== client.workspaceId) return reply(realtimeError("FORBIDDEN", `Workflow ${workflowId} belongs to another workspace`));
      if (client.closed) return;
      if (!latest()) return reply({ ok: true });
      if (!client.workflows.has(workflowId) && subscriptionCount(client) >= maxSubscriptions) {
        return reply(realtimeError("TOO_MANY_SUBSCRIPTIONS", `At most ${maxSubscriptions} subscriptions per connection`));
      }
      client.workflows.add(workflowId);
      let subs = workflowSubscribers.get(workflowId);
      if (!subs) workflowSubscribers.set(workflowId, (subs = new Set()));
      subs.add(client);
      void socket.join(workflowRoom(workflowId));
      reply({ ok: true });
    });

    socket.on("workflow:unsubscribe", (payload, ack) => {
      const reply = typeof ack === "function" ? ack : noopAck;
      const parsed = WorkflowUnsubscribeSchema.safeParse(payload);
      if (!parsed.success) return reply(realtimeError("BAD_REQUEST", describeZodError(parsed.error)));
      const { workflowId } = parsed.data;
      client.begin(`workflow:${workflowId}`);
      client.workflows.delete(workflowId);
      workflowSubscribers.get(workflowId)?.delete(client);
      if (workflowSubscribers.get(workflowId)?.size === 0) workflowSubscribers.delete(workflowId);
      void socket.leave(workflowRoom(workflowId));
      for (const [runId, cursor] of client.cursors) {
        const runWorkflow = caches.get(runId)?.workflowId ?? runInfos.get(runId)?.workflowId;
        if (!cursor.explicit && runWorkflow === workflowId) dropCursor(client, runId);
      }
      reply({ ok: true });
    });

    socket.on("disconnect", () => {
      client.closed = true;
      clients.delete(socket.id);
      dirtyClients.delete(client);
      for (const runId of client.cursors.keys()) dropCursor(client, runId);
      for (const workflowId of client.workflows) {
        workflowSubscribers.get(workflowId)?.delete(client);
        if (workflowSubscribers.get(workflowId)?.size === 0) workflowSubscribers.delete(workflowId);
      }
    });
  }

  io.use((socket, next) => {
    Promise.resolve()
      .then(() => authenticate(socket.handshake))
      .then(
        (workspaceId) => {
          if (!workspaceId) return next(new Error("UNAUTHORIZED"));
          socket.data.workspaceId = workspaceId;
          next();
        },
        () => next(new Error("UNAUTHORIZED")),
      );
  });
  io.on("connection", onConnection);
  const onRemote = (events: RunEvent[]) => publishLocal(events);
  if (options.crossProcess) io.on("aura:run-events", onRemote);

  // Evict caches of runs that nobody watches any more, or that went quiet and only a workflow
  // subscription watches; drop caught-up workflow-only cursors with them.
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [runId, cache] of caches) {
      if (runSubscribers.has(runId)) continue;
      if (isWatched(runId) && now - cache.touchedAt < 60_000) continue;
      caches.delete(runId);
      for (const client of clients.values()) {
        const cursor = client.cursors.get(runId);
        if (cursor && !cursor.explicit && !cursor.fetching && !cursor.fetched && cursor.lastSent >= cache.lastSeq) client.cursors.delete(runId);
      }
    }
  }, 15_000);
  sweeper.unref?.();

  return {
    publish,
    stats: () => ({ clients: clients.size, cachedRuns: caches.size, ...stats }),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      clearInterval(sweeper);
      io.off("connection", onConnection);
      if (options.crossProcess) io.off("aura:run-events", onRemote);
    },
  };
}

/** The events with seq > after, strictly ascending (defensive against overlapping store pages). */
function ascendingAfter(events: readonly RunEvent[], after: number): RunEvent[] {
  const out: RunEvent[] = [];
  let last = after;
  for (const e of events) {
    if (e.seq <= last) continue; // defensive: a store returning overlapping rows
    out.push(e);
    last = e.seq;
  }
  return out;
}
