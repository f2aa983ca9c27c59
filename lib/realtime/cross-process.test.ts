import { ClusterAdapter, type ClusterMessage, type ClusterResponse } from "socket.io-adapter";
import { afterEach, describe, expect, it } from "vitest";
import { InMemoryRunEventSource } from "../contracts/run-event-source";
import { RealtimeClient, type RealtimeClientSocket } from "./realtime-client";
import { connectRedisCluster } from "./redis-cluster";
import { checkSequence, connectClient, makeEvents, sleep, startTestServer, waitFor, type TestServer } from "./testing/harness";

/**
 * Two server "processes" in one test, joined by an in-memory cluster bus that behaves like the Redis
 * adapter (messages are copied and delivered asynchronously). They share one event store.
 */
function createClusterBus() {
  const members = new Set<BusAdapter>();
  class BusAdapter extends ClusterAdapter {
    constructor(nsp: unknown) {
      super(nsp);
      members.add(this);
    }
    protected async doPublish(message: ClusterMessage) {
      const copy = structuredClone(message);
      for (const m of members) if (m !== this) setImmediate(() => m.onMessage(copy));
      return "";
    }
    protected async doPublishResponse(requesterUid: string, response: ClusterResponse) {
      const copy = structuredClone(response);
      for (const m of members) if (m.uid === requesterUid) setImmediate(() => m.onResponse(copy));
    }
    close() {
      members.delete(this);
    }
  }
  return BusAdapter;
}

const servers: TestServer[] = [];
const sockets: RealtimeClientSocket[] = [];
/** Redis connections of the test's servers: closed after the servers. */
const clusters: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const s of servers.splice(0)) await s.close();
  for (const c of clusters.splice(0)) await c.close();
});

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
async function redisReachable(): Promise<boolean> {
  try {
    const c = await connectRedisCluster(REDIS_URL);
    await c.close();
    return true;
  } catch (error) {
    if (process.env.AURA_REQUIRE_REDIS) throw error;
    console.warn(`Redis not reachable at ${REDIS_URL}: the Redis adapter test is skipped (AURA_REQUIRE_REDIS=1 makes this an error).`);
    return false;
  }
}
const withRedis = await redisReachable();

/** Each server of a test gets its own adapter: the in-memory bus, or its own connections to Redis. */
const adapters: Record<string, () => Promise<unknown>> = {
  "an in-memory cluster bus": (() => {
    let bus: ReturnType<typeof createClusterBus> | null = null;
    return async () => (bus ??= createClusterBus());
  })(),
  ...(withRedis
    ? {
        "the Redis adapter (REDIS_URL)": async () => {
          const c = await connectRedisCluster(REDIS_URL);
          clusters.push(c);
          return c.adapter;
        },
      }
    : {}),
};

describe.each(Object.keys(adapters))("realtime server across processes, over %s", (name) => {
  it("events published on one server reach subscribers of another, in order and once", async () => {
    const store = new InMemoryRunEventSource();
    // A run id of its own: the Redis channel is shared with any other test run on this machine.
    const runId = `r_${Math.random().toString(36).slice(2)}`;
    store.addRun(runId, { workspaceId: "ws_default", workflowId: "w1" });
    const a = await startTestServer({ source: store, crossProcess: true }, { adapter: (await adapters[name]()) as never });
    const b = await startTestServer({ source: store, crossProcess: true }, { adapter: (await adapters[name]()) as never });
    servers.push(a, b);
    const received: Record<string, number[]> = { a: [], b: [] };
    for (const [name, srv] of [
      ["a", a],
      ["b", b],
    ] as const) {
      const socket = connectClient(srv.url);
      sockets.push(socket);
      const stream = new RealtimeClient(socket).subscribeRun(runId, 0, { onEvents: (ev) => received[name].push(...ev.map((e) => e.seq)) });
      await waitFor(() => stream.status() === "live");
    }
    for (let from = 1; from <= 2000; from += 50) {
      a.emit(makeEvents(runId, from, from + 49)); // persisted to the shared store, published on server a
      if (from === 501) for (const s of b.io.sockets.sockets.values()) s.conn.close(); // and b's client reconnects
      await sleep(10);
    }
    await waitFor(() => received.a.length >= 2000 && received.b.length >= 2000, 10_000, "both clients");
    await sleep(100);
    expect(checkSequence(received.a, 1, 2000).ok).toBe(true);
    expect(checkSequence(received.b, 1, 2000).ok).toBe(true);
  });
});
