/**
 * Test and bench helpers: a real HTTP + Socket.IO server on an ephemeral port with the realtime layer
 * attached over an in-memory event store, clients, and event factories. Not used by the app.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions } from "socket.io";
import { io as connect } from "socket.io-client";
import type { RunEvent } from "../../contracts/events";
import { REALTIME_PATH, DEFAULT_WORKSPACE_ID } from "../../contracts/protocol";
import type { RealtimeClientSocket } from "../realtime-client";
import { InMemoryRunEventSource } from "../../contracts/run-event-source";
import { attachRealtime, type RealtimeServer, type RealtimeServerOptions } from "../socket-server";

export interface TestServer {
  url: string;
  io: Server;
  http: HttpServer;
  realtime: RealtimeServer;
  source: InMemoryRunEventSource;
  /** Persists, then publishes (what lib/server does). */
  emit(events: RunEvent[]): void;
  close(): Promise<void>;
}

/**
 * Starts a server; sockets pick their workspace with `auth: { workspaceId }` (default workspace otherwise).
 * `ioOptions` go to the Socket.IO server (e.g. a cluster adapter for multi-process tests).
 */
export async function startTestServer(options: Partial<RealtimeServerOptions> = {}, ioOptions: Partial<ServerOptions> = {}): Promise<TestServer> {
  const http = createServer();
  const io = new Server(http, { path: REALTIME_PATH, serveClient: false, ...ioOptions });
  const source = (options.source as InMemoryRunEventSource | undefined) ?? new InMemoryRunEventSource();
  const realtime = attachRealtime(io, {
    authenticate: (hs) => (typeof hs.auth?.workspaceId === "string" ? hs.auth.workspaceId : DEFAULT_WORKSPACE_ID),
    log: () => {},
    ...options,
    source,
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    http,
    realtime,
    source,
    emit(events) {
      source.append(events);
      realtime.publish(events);
    },
    async close() {
      realtime.close();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => void io.close(() => resolve()));
    },
  };
}

/** A socket.io-client socket to the test server (websocket only, fast reconnects). */
export function connectClient(url: string, workspaceId?: string): RealtimeClientSocket {
  return connect(url, {
    path: REALTIME_PATH,
    transports: ["websocket"],
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    forceNew: true,
    auth: workspaceId ? { workspaceId } : {},
  });
}

/** A small valid RunEvent with the given seq. */
export function makeEvent(runId: string, seq: number, values: Record<string, unknown> = {}): RunEvent {
  return { type: "state.update", runId, seq, ts: Date.now(), nodeId: "n1", values };
}

/** Events seq from..to (inclusive). */
export function makeEvents(runId: string, from: number, to: number, values?: Record<string, unknown>): RunEvent[] {
  const out: RunEvent[] = [];
  for (let seq = from; seq <= to; seq++) out.push(makeEvent(runId, seq, values));
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `check` is true (or throws after timeoutMs). */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Asserts-friendly summary of a received seq list against from..to. */
export function checkSequence(seqs: number[], from: number, to: number): { ok: boolean; missing: number; duplicates: number; outOfOrder: number } {
  let duplicates = 0;
  let outOfOrder = 0;
  const seen = new Set<number>();
  for (let i = 0; i < seqs.length; i++) {
    if (seen.has(seqs[i])) duplicates++;
    seen.add(seqs[i]);
    if (i > 0 && seqs[i] <= seqs[i - 1]) outOfOrder++;
  }
  let missing = 0;
  for (let s = from; s <= to; s++) if (!seen.has(s)) missing++;
  return { ok: missing === 0 && duplicates === 0 && outOfOrder === 0 && seqs.length === to - from + 1, missing, duplicates, outOfOrder };
}
