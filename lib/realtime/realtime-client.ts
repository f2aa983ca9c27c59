import type { Socket } from "socket.io-client";
import type { RunEvent } from "../contracts/events";
import type { ClientToServerEvents, RealtimeAck, RealtimeError, RunEventsMessage, ServerToClientEvents } from "../contracts/protocol";

/**
 * The browser side of the protocol, without React (the hooks in use-run-events.ts wrap it; Node tests
 * and tools use it directly). One RealtimeClient per socket multiplexes any number of listeners:
 * - each listener keeps the last seq it saw and never gets an event twice;
 * - on every (re)connect, each run is subscribed again from the smallest last seq of its listeners;
 * - requests are only sent while connected (the socket.io-client send buffer would replay stale
 *   subscribes after a reconnect and reset the server's cursor).
 */

export type RealtimeClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** connecting: waiting for the socket or the ack · live: subscribed · reconnecting: socket lost,
 * will resubscribe · error: the server refused (see the error) · closed: unsubscribed. */
export type StreamStatus = "connecting" | "live" | "reconnecting" | "error" | "closed";

export interface StreamHandlers {
  /** New events of one run, ascending seq, each seq at most once per listener. */
  onEvents(events: RunEvent[], message: RunEventsMessage): void;
  onStatus?(status: StreamStatus, error?: RealtimeError): void;
}

export interface RunStream {
  /** Last seq delivered to this listener (afterSeq before the first event). */
  lastSeq(): number;
  status(): StreamStatus;
  close(): void;
}

const ACK_TIMEOUT_MS = 10_000;
const RETRY_MS = 1_000;

interface Listener {
  handlers: StreamHandlers;
  status: StreamStatus;
  /** Last seq seen, per run (a run listener has exactly one entry). */
  lastSeq: Map<string, number>;
  closed: boolean;
}

function setStatus(l: Listener, status: StreamStatus, error?: RealtimeError) {
  if (l.closed || (l.status === status && !error)) return;
  l.status = status;
  l.handlers.onStatus?.(status, error);
}

/**
 * Filters out what the listener already has, advances its cursor and hands the rest over.
 * A run listener only takes a message that continues its cursor without a hole: the same socket
 * also carries live-only workflow deliveries, and taking one of those before the run's replay
 * arrives would move the cursor past events the replay is about to send (they would be dropped).
 * The server's run subscription delivers every seq after the cursor, so skipping loses nothing.
 */
function deliver(l: Listener, message: RunEventsMessage, defaultLast: number, contiguous: boolean) {
  if (l.closed) return;
  const last = l.lastSeq.get(message.runId) ?? defaultLast;
  const events = message.events;
  let fresh = events;
  if (events.length && events[0].seq <= last) fresh = events.filter((e) => e.seq > last);
  if (!fresh.length) return;
  if (contiguous && fresh[0].seq > last + 1) return;
  l.lastSeq.set(message.runId, fresh[fresh.length - 1].seq);
  l.handlers.onEvents(fresh, message);
}

export class RealtimeClient {
  private readonly runs = new Map<string, Set<Listener>>();
  private readonly workflows = new Map<string, Set<Listener>>();

  constructor(readonly socket: RealtimeClientSocket) {
    socket.on("run:events", (message) => {
      for (const l of this.runs.get(message.runId) ?? []) deliver(l, message, Number.NEGATIVE_INFINITY, true);
      if (message.workflowId) for (const l of this.workflows.get(message.workflowId) ?? []) deliver(l, message, Number.NEGATIVE_INFINITY, false);
    });
    socket.on("connect", () => {
      for (const runId of this.runs.keys()) this.sendRunSubscribe(runId);
      for (const workflowId of this.workflows.keys()) this.sendWorkflowSubscribe(workflowId);
    });
    socket.on("disconnect", (reason) => {
      const status: StreamStatus = reason === "io client disconnect" ? "closed" : "reconnecting";
      // socket.io-client does not reconnect by itself after a server-side disconnect(); a stream should.
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), RETRY_MS);
      for (const set of [...this.runs.values(), ...this.workflows.values()]) for (const l of set) setStatus(l, status);
    });
  }

  /** Receives every event of the run with seq > afterSeq (-1: from the start), in order, once. */
  subscribeRun(runId: string, afterSeq: number, handlers: StreamHandlers): RunStream {
    const l: Listener = { handlers, status: "connecting", lastSeq: new Map([[runId, afterSeq]]), closed: false };
    let set = this.runs.get(runId);
    if (!set) this.runs.set(runId, (set = new Set()));
    const others = [...set];
    set.add(l);
    const streamCovers = others.length > 0 && others.every((o) => o.status === "live" && (o.lastSeq.get(runId) ?? -1) <= afterSeq);
    // The stream already runs from at or before afterSeq: nothing to replay for this listener.
    if (streamCovers && this.socket.connected) setStatus(l, "live");
    // Otherwise (re)subscribe from the smallest cursor; the other listeners drop what they already have.
    else this.sendRunSubscribe(runId);
    return {
      lastSeq: () => l.lastSeq.get(runId) ?? afterSeq,
      status: () => l.status,
      close: () => {
        if (l.closed) return;
        setStatus(l, "closed");
        l.closed = true;
        set.delete(l);
        if (set.size === 0) {
          this.runs.delete(runId);
          if (this.socket.connected) this.socket.emit("run:unsubscribe", { runId });
        }
      },
    };
  }

  /** Receives new events of every run of the workflow (live only: no replay after a reconnect). */
  subscribeWorkflow(workflowId: string, handlers: StreamHandlers): RunStream {
    const l: Listener = { handlers, status: "connecting", lastSeq: new Map(), closed: false };
    let set = this.workflows.get(workflowId);
    if (!set) this.workflows.set(workflowId, (set = new Set()));
    set.add(l);
    if (set.size === 1) this.sendWorkflowSubscribe(workflowId);
    else if (this.socket.connected) setStatus(l, [...set].find((o) => o !== l)?.status ?? "connecting");
    return {
      lastSeq: () => Math.max(-1, ...l.lastSeq.values()),
      status: () => l.status,
      close: () => {
        if (l.closed) return;
        setStatus(l, "closed");
        l.closed = true;
        set.delete(l);
        if (set.size === 0) {
          this.workflows.delete(workflowId);
          if (this.socket.connected) this.socket.emit("workflow:unsubscribe", { workflowId });
        }
      },
    };
  }

  private sendRunSubscribe(runId: string) {
    const set = this.runs.get(runId);
    if (!set?.size || !this.socket.connected) return;
    let afterSeq = Number.POSITIVE_INFINITY;
    for (const l of set) afterSeq = Math.min(afterSeq, l.lastSeq.get(runId) ?? -1);
    for (const l of set) if (l.status !== "live") setStatus(l, "connecting");
    this.socket.timeout(ACK_TIMEOUT_MS).emit("run:subscribe", { runId, afterSeq }, (err: Error | null, res: RealtimeAck) => {
      const current = this.runs.get(runId);
      if (!current) return;
      this.settle(current, err, res, () => this.sendRunSubscribe(runId));
    });
  }

  private sendWorkflowSubscribe(workflowId: string) {
    const set = this.workflows.get(workflowId);
    if (!set?.size || !this.socket.connected) return;
    this.socket.timeout(ACK_TIMEOUT_MS).emit("workflow:subscribe", { workflowId }, (err: Error | null, res: RealtimeAck) => {
      const current = this.workflows.get(workflowId);
      if (!current) return;
      this.settle(current, err, res, () => this.sendWorkflowSubscribe(workflowId));
    });
  }

  private settle(listeners: Set<Listener>, err: Error | null, res: RealtimeAck, retry: () => void) {
    if (err) {
      // No ack in time: if still connected, ask again (a reconnect resubscribes anyway).
      setTimeout(() => this.socket.connected && retry(), RETRY_MS);
      return;
    }
    for (const l of listeners) {
      if (res.ok) setStatus(l, "live");
      else setStatus(l, "error", res.error);
    }
  }
}

const clients = new WeakMap<RealtimeClientSocket, RealtimeClient>();

/** The one RealtimeClient of a socket. */
export function realtimeClientFor(socket: RealtimeClientSocket): RealtimeClient {
  let client = clients.get(socket);
  if (!client) clients.set(socket, (client = new RealtimeClient(socket)));
  return client;
}
