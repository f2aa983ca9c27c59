import type { Server, Socket } from "socket.io";
import type { RunEvent } from "../contracts/events";
import {
  RunSubscribeSchema,
  RunUnsubscribeSchema,
  WorkflowSubscribeSchema,
  WorkflowUnsubscribeSchema,
  realtimeError,
  type ClientToServerEvents,
  type InterServerEvents,
  type RealtimeSocketData,
  type RunEventsMessage,
  type ServerToClientEvents,
} from "../contracts/protocol";
import type { DeliveryTarget } from "./delivery-subscriber";
import { RunDelivery, type DeliveryStats } from "./run-delivery";
import type { RunEventSource } from "../contracts/run-event-source";
import { onRequest } from "./socket-request";

/**
 * The realtime server: workspace checks on every subscription, then replay from the event store and
 * live events, batched per client. The delivery itself (cursors, shared cache, ticks) is RunDelivery;
 * this file wires it to Socket.IO: the handshake, the four subscription requests, and sending.
 *
 * Many server processes: install a multi-node adapter (e.g. `io.adapter(createAdapter(pub, sub))`
 * from @socket.io/redis-adapter) and pass `crossProcess: true`. `publish` then forwards the events
 * with `io.serverSideEmit`, and every process delivers them to its own sockets through the same cache
 * and cursors; replay reads the shared database, so nothing else changes.
 */

export interface RealtimeServerOptions {
  source: RunEventSource;
  /**
   * The workspace of a connecting socket, from its handshake (session cookie or bearer token); null
   * rejects the connection with UNAUTHORIZED. Required: there is no anonymous default.
   */
  authenticate: (handshake: Socket["handshake"]) => string | null | Promise<string | null>;
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
  /** Re-reads the store for every run subscription (after the cross-process link was down). */
  resync(): void;
  /** Counters for tests, benches and health checks. */
  stats(): RealtimeStats;
  /** Detaches from the io server (does not close it). */
  close(): void;
}

export type RealtimeStats = DeliveryStats;

type RealtimeIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, RealtimeSocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, RealtimeSocketData>;

/** A socket as a delivery target. */
class SocketTarget implements DeliveryTarget {
  constructor(readonly socket: RealtimeSocket) {}
  get id() {
    return this.socket.id;
  }
  queuedPackets(): number {
    // engine.io queues packets here while the transport has not finished writing the previous ones.
    return (this.socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
  }
}

/**
 * Numbers the requests of one connection per run or workflow, so a slow older request (still looking
 * the run up) never overrides a newer subscribe or unsubscribe of the same thing.
 */
function requestOrder() {
  const latest = new Map<string, number>();
  /** Starts a request about `key`; the returned check says whether it is still the latest one. */
  return (key: string): (() => boolean) => {
    const n = (latest.get(key) ?? 0) + 1;
    latest.set(key, n);
    return () => latest.get(key) === n;
  };
}

/**
 * Attaches the realtime protocol to a Socket.IO server (server.ts does this once per process) and
 * returns the publisher. Call `publish` only after the events are persisted.
 */
export function attachRealtime(ioServer: Server, options: RealtimeServerOptions): RealtimeServer {
  const io = ioServer as unknown as RealtimeIo;
  const { source } = options;
  const maxSubscriptions = options.maxSubscriptionsPerSocket ?? 200;
  const { authenticate } = options;
  const log = options.log ?? ((level, msg, fields) => console.error(JSON.stringify({ level, msg: `realtime: ${msg}`, ...fields })));
  const delivery = new RunDelivery<SocketTarget>({
    source,
    flushIntervalMs: options.flushIntervalMs,
    maxBatch: options.maxBatch,
    cachePerRun: options.cachePerRun,
    maxQueuedPackets: options.maxQueuedPackets,
    onDeliver: options.onDeliver,
    log,
    send(targets, message) {
      if (targets.length === 1) targets[0].socket.emit("run:events", message);
      // One broadcast encodes the packet once for all receivers; `local`: never via the adapter.
      else io.local.to(targets.map((t) => t.id)).emit("run:events", message);
    },
  });
  let closed = false;

  function onConnection(socket: RealtimeSocket) {
    const workspaceId = socket.data.workspaceId;
    const sub = delivery.addSubscriber(new SocketTarget(socket));
    const begin = requestOrder();
    const tooMany = (extra = "") => realtimeError("TOO_MANY_SUBSCRIPTIONS", `At most ${maxSubscriptions} subscriptions per connection${extra}`);

    onRequest(socket, "run:subscribe", RunSubscribeSchema, log, async ({ runId, afterSeq }) => {
      const latest = begin(`run:${runId}`);
      const info = await delivery.lookupRun(runId);
      if (!info) return realtimeError("RUN_NOT_FOUND", `No run ${runId}; check the id`);
      if (info.workspaceId !== workspaceId) return realtimeError("FORBIDDEN", `Run ${runId} belongs to another workspace`);
      if (sub.closed) return undefined;
      // A later subscribe or unsubscribe of this run arrived while we looked the run up: it decides.
      if (!latest()) return { ok: true };
      if (!sub.cursors.get(runId)?.explicit && sub.subscriptionCount() >= maxSubscriptions) {
        return tooMany("; unsubscribe from runs you no longer show");
      }
      delivery.subscribeRun(sub, runId, afterSeq);
      return { ok: true };
    });

    onRequest(socket, "run:unsubscribe", RunUnsubscribeSchema, log, ({ runId }) => {
      begin(`run:${runId}`);
      delivery.unsubscribeRun(sub, runId);
      return { ok: true };
    });

    onRequest(socket, "workflow:subscribe", WorkflowSubscribeSchema, log, async ({ workflowId }) => {
      const latest = begin(`workflow:${workflowId}`);
      const owner = await source.workspaceOfWorkflow(workflowId);
      if (!owner) return realtimeError("WORKFLOW_NOT_FOUND", `No workflow ${workflowId}; check the id`);
      if (owner !== workspaceId) return realtimeError("FORBIDDEN", `Workflow ${workflowId} belongs to another workspace`);
      if (sub.closed) return undefined;
      if (!latest()) return { ok: true };
      if (!sub.workflows.has(workflowId) && sub.subscriptionCount() >= maxSubscriptions) return tooMany();
      delivery.subscribeWorkflow(sub, workflowId);
      return { ok: true };
    });

    onRequest(socket, "workflow:unsubscribe", WorkflowUnsubscribeSchema, log, ({ workflowId }) => {
      begin(`workflow:${workflowId}`);
      delivery.unsubscribeWorkflow(sub, workflowId);
      return { ok: true };
    });

    socket.on("disconnect", () => delivery.removeSubscriber(sub));
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
  const onRemote = (events: RunEvent[]) => delivery.publish(events);
  if (options.crossProcess) io.on("aura:run-events", onRemote);

  return {
    publish(events) {
      if (closed || events.length === 0) return;
      delivery.publish(events);
      if (options.crossProcess) io.serverSideEmit("aura:run-events", [...events]);
    },
    resync: () => delivery.resync(),
    stats: () => delivery.stats(),
    close() {
      closed = true;
      delivery.close();
      io.off("connection", onConnection);
      if (options.crossProcess) io.off("aura:run-events", onRemote);
    },
  };
}
