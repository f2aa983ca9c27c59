import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { getRealtimeServer } from "./registry";

/** After Redis is back: resync now and once more a little later (events another process published while this one was resubscribing). */
const RESYNC_AGAIN_MS = 1000;

/**
 * Shared realtime for many server processes: the Socket.IO Redis adapter over REDIS_URL. Install its
 * `adapter` with `io.adapter(...)` and attach the realtime server with `crossProcess: true`; run
 * events published by any process then reach the browsers of every process (and the workspace
 * feed's room broadcasts go through Redis too). Server-side only (server.ts wiring).
 */
export async function connectRedisCluster(
  url: string,
  log: (message: string) => void = () => {},
): Promise<{ adapter: ReturnType<typeof createAdapter>; close(): Promise<void> }> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // A connection error must not crash the server: node-redis reconnects by itself; we only report.
  for (const [name, client] of [
    ["pub", pub],
    ["sub", sub],
  ] as const)
    client.on("error", (err: Error) => log(`redis ${name}: ${err.message}`));
  // Events other processes published while the link was down never arrive: once the subscriber is
  // back, every run subscription of this process catches up from the database.
  let lost = false;
  sub.on("error", () => (lost = true));
  sub.on("ready", () => {
    if (!lost) return;
    lost = false;
    log("redis sub: reconnected; resyncing run subscriptions from the database");
    getRealtimeServer()?.resync();
    setTimeout(() => getRealtimeServer()?.resync(), RESYNC_AGAIN_MS).unref();
  });
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (error) {
    // destroy() is synchronous (node-redis 5): stop the reconnect loops of both clients.
    pub.destroy();
    sub.destroy();
    throw new Error(`Cannot reach Redis at ${url} (REDIS_URL): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return {
    adapter: createAdapter(pub, sub),
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
