import type { Server, Socket } from "socket.io";
import type { RunEvent } from "../contracts/events";
import type { RealtimeAck } from "../contracts/protocol";
import type { RunEventSource, RunInfo } from "../contracts/run-event-source";
import { RunInfoCache } from "./run-info-cache";
import { toRunChange, workspaceRoom, type RunChange, type WorkspaceRunsMessage } from "../contracts/workspace-feed-protocol";

/**
 * A workspace-wide feed of run status changes for dashboards, next to the per-run and per-workflow
 * streams of socket-server.ts. Only status-changing events travel (a handful per run, never tokens
 * or state updates), batched per workspace every `flushIntervalMs` and broadcast to the workspace's
 * room once. Live only: a dashboard refetches over HTTP after a reconnect.
 *
 * The socket's workspace is the one the realtime connection middleware put in `socket.data`
 * (attachRealtime's `authenticate`), so a socket only ever joins its own workspace.
 */
export interface WorkspaceFeedOptions {
  source: Pick<RunEventSource, "runInfo">;
  /** Default 250 ms: at most 4 messages a second per workspace. */
  flushIntervalMs?: number;
  log?: (level: "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

export interface WorkspaceFeed {
  /** Feed persisted events (register it as a run event tap). */
  publish(events: readonly RunEvent[]): void;
  stats(): { subscribers: number; messagesSent: number; changesSent: number };
  close(): void;
}

export function attachWorkspaceFeed(io: Server, options: WorkspaceFeedOptions): WorkspaceFeed {
  const flushIntervalMs = options.flushIntervalMs ?? 250;
  const log = options.log ?? ((level, msg, fields) => console.error(JSON.stringify({ level, msg: `workspace feed: ${msg}`, ...fields })));
  const infos = new RunInfoCache(options.source);
  const pending = new Map<string, RunChange[]>();
  const subscribers = new Map<string, number>();
  const stats = { messagesSent: 0, changesSent: 0 };
  // Events of one run must leave in order even when a lookup is in flight: chain per run.
  const chains = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const watched = () => [...subscribers.values()].some((n) => n > 0);

  function schedule() {
    if (timer || closed) return;
    timer = setTimeout(flush, flushIntervalMs);
  }

  function flush() {
    timer = null;
    for (const [workspaceId, changes] of pending) {
      if (!changes.length) continue;
      const message: WorkspaceRunsMessage = { workspaceId, changes };
      io.to(workspaceRoom(workspaceId)).emit("workspace:runs" as never, message);
      stats.messagesSent++;
      stats.changesSent += changes.length;
    }
    pending.clear();
  }

  function enqueue(info: RunInfo, events: RunEvent[]) {
    if (!subscribers.get(info.workspaceId)) return;
    let list = pending.get(info.workspaceId);
    if (!list) pending.set(info.workspaceId, (list = []));
    for (const e of events) {
      const change = toRunChange(e, info.workflowId);
      if (change) list.push(change);
    }
    if (list.length) schedule();
  }

  function publish(events: readonly RunEvent[]) {
    if (closed || !watched()) return;
    const byRun = new Map<string, RunEvent[]>();
    for (const e of events) {
      if (!toRunChange(e, "")) continue;
      const list = byRun.get(e.runId);
      if (list) list.push(e);
      else byRun.set(e.runId, [e]);
    }
    for (const [runId, list] of byRun) {
      const known = infos.peek(runId);
      if (known && !chains.has(runId)) {
        enqueue(known, list);
        continue;
      }
      const prev = chains.get(runId) ?? Promise.resolve();
      const next = prev
        .then(async () => {
          const info = await infos.lookup(runId);
          if (info) enqueue(info, list);
        })
        .catch((err: unknown) => log("error", "runInfo failed", { runId, err: String(err) }));
      chains.set(runId, next);
      void next.finally(() => {
        if (chains.get(runId) === next) chains.delete(runId);
      });
    }
  }

  function onConnection(socket: Socket) {
    // Set by the authenticated handshake (attachRealtime's `authenticate`); a socket without one joins nothing.
    const workspaceId = (socket.data as { workspaceId?: string }).workspaceId;
    if (!workspaceId) return;
    let joined = false;
    const leave = () => {
      if (!joined) return;
      joined = false;
      subscribers.set(workspaceId, Math.max(0, (subscribers.get(workspaceId) ?? 1) - 1));
      void socket.leave(workspaceRoom(workspaceId));
    };
    socket.on("workspace:subscribe", (_payload: unknown, ack?: (res: RealtimeAck) => void) => {
      if (!joined) {
        joined = true;
        subscribers.set(workspaceId, (subscribers.get(workspaceId) ?? 0) + 1);
        void socket.join(workspaceRoom(workspaceId));
      }
      if (typeof ack === "function") ack({ ok: true });
    });
    socket.on("workspace:unsubscribe", (_payload: unknown, ack?: (res: RealtimeAck) => void) => {
      leave();
      if (typeof ack === "function") ack({ ok: true });
    });
    socket.on("disconnect", leave);
  }

  io.on("connection", onConnection);
  return {
    publish,
    stats: () => ({ subscribers: [...subscribers.values()].reduce((a, b) => a + b, 0), ...stats }),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      io.off("connection", onConnection);
    },
  };
}
