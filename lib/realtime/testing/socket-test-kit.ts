import { afterEach } from "vitest";
import type { RealtimeAck, RunEventsMessage } from "../../contracts/protocol";
import type { RealtimeClientSocket } from "../realtime-client";
import { connectClient, startTestServer, type TestServer } from "./harness";

/**
 * For test files of the socket server: `setup(options)` starts a test server, `client()` connects a
 * socket to it; both are closed after each test.
 */
export function realtimeTestServer() {
  let server: TestServer | null = null;
  const sockets: RealtimeClientSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server?.close();
    server = null;
  });
  return {
    setup: async (options: Parameters<typeof startTestServer>[0] = {}) => {
      server = await startTestServer(options);
      return server;
    },
    client: (workspaceId?: string) => {
      const s = connectClient(server!.url, workspaceId);
      sockets.push(s);
      return s;
    },
  };
}

/** Collects every delivered message of a raw socket. */
export function record(socket: RealtimeClientSocket) {
  const messages: { at: number; message: RunEventsMessage }[] = [];
  socket.on("run:events", (message) => messages.push({ at: Date.now(), message }));
  return {
    messages,
    seqs: (runId: string) => messages.filter((m) => m.message.runId === runId).flatMap((m) => m.message.events.map((e) => e.seq)),
  };
}

/** Emits a request (any event name, any payload) and resolves with its ack. */
export function request(socket: RealtimeClientSocket, event: string, payload: unknown): Promise<RealtimeAck> {
  return new Promise((resolve) => (socket as unknown as { emit: (...a: unknown[]) => void }).emit(event, payload, resolve));
}
