/**
 * The custom Node server: one HTTP server for Next.js pages, API routes and Socket.IO.
 * Wiring only; behaviour lives in lib/.
 */
import { createServer } from "node:http";
import next from "next";
import { Server as SocketServer } from "socket.io";
import { processSlot } from "@/lib/process-singleton";
import { startBackend, stopBackend } from "@/lib/server/boot";
import { REALTIME_PATH } from "@/lib/contracts/protocol";
import { registeredRunEventSource, setRealtimeServer } from "@/lib/realtime/registry";
import { providerResilience } from "@/lib/server/providers";
import { attachRealtime } from "@/lib/realtime/socket-server";
import { addRunEventTap } from "@/lib/realtime/taps";
import { attachWorkspaceFeed } from "@/lib/realtime/workspace-feed";
import { flushObservability, installObservability, logger } from "@/lib/server/observability";
import { pageRedirect, socketWorkspace, stampClient } from "@/lib/server/gate";
import { skipCompressionWhereUseless } from "@/lib/server/answer-compression";
import { databaseUnavailable } from "@/lib/server/errors";
import { auraRole, checkRoleSetup } from "@/lib/server/queue/config";
import { startQueueServices } from "@/lib/server/queue/services";
import { getRunManager } from "@/lib/server/runs/manager";
import { deliverRemoteRunEvents } from "@/lib/server/runs/run-watch";
import { useBuiltNextConfig } from "@/lib/server/next-built-config";

// Development only when asked for (`npm run dev`); dist/server.js sets production when NODE_ENV is unset.
const dev = process.env.NODE_ENV === "development";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";

async function main() {
  const started = Date.now();
  // AURA_ROLE: "all" (default) serves and executes; "web" only serves (queue mode: workers execute).
  const role = auraRole();
  if (role === "worker") throw new Error("AURA_ROLE=worker is the worker process: start it with `npm run worker` (dist/worker.js), not `npm start`.");
  checkRoleSetup(role);
  // Metrics and traces of run events (GET /api/metrics; OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set).
  installObservability();
  await startBackend();
  // Production: the build's own config, so Next does not load its SWC compiler to read next.config.ts (~30 MB).
  if (!dev) useBuiltNextConfig(process.cwd());
  const app = next({ dev, hostname, port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  const httpServer = createServer((req, res) => {
    const fail = (err: unknown) => {
      // The session check before a page needs the database: while it is down, say so (503), not 500.
      const unavailable = databaseUnavailable(err);
      if (!unavailable) logger.error("request failed", { url: req.url, err });
      if (!res.headersSent) res.writeHead(unavailable ? 503 : 500, { "content-type": "application/json", ...(unavailable ? { "retry-after": "5" } : {}) });
      res.end(
        JSON.stringify({
          error: unavailable ? { code: unavailable.code, message: unavailable.message } : { code: "INTERNAL", message: "Internal server error" },
        }),
      );
    };
    // Every request: the client's address as the connection says, then pages need a signed-in browser.
    stampClient(req);
    // Small JSON answers to API changes go out uncompressed (gzip cost more than it saved there).
    skipCompressionWhereUseless(req);
    pageRedirect(req)
      .then((location) => {
        if (location) {
          res.writeHead(303, { location, "cache-control": "no-store" });
          res.end();
          return;
        }
        return handle(req, res);
      })
      .catch(fail);
  });
  const io = new SocketServer(httpServer, { path: REALTIME_PATH, serveClient: false });
  processSlot<SocketServer>("io").set(io);
  // Many servers on one database: REDIS_URL shares live events between them (a server's browsers see
  // runs executed by any server). Without it, one server's events reach its own browsers only.
  // Loaded only with REDIS_URL: the redis client and the Socket.IO adapter are ~1 MB of source (~470 modules) a lone server never uses.
  const redisUrl = process.env.REDIS_URL;
  const cluster = redisUrl ? await (await import("@/lib/realtime/redis-cluster")).connectRedisCluster(redisUrl, (msg) => logger.error(msg)) : null;
  if (cluster) io.adapter(cluster.adapter);
  // Circuit breakers shared between those servers too (opened in one, open in all; one probe).
  const breakers = redisUrl
    ? await (
        await import("@/lib/server/providers/redis-breaker-sync")
      ).connectBreakerSync(redisUrl, providerResilience().registry, { log: (msg) => logger.error(msg) })
    : null;
  providerResilience().registry.setSync(breakers ?? undefined);
  // Events of runs executing in other processes (queue-mode workers): ?wait= and SSE followers here hear them too.
  if (cluster) io.on("aura:run-events", deliverRemoteRunEvents);
  // Run event streams (lib/realtime); publish with publishRunEvents() after persisting.
  setRealtimeServer(
    attachRealtime(io, {
      source: registeredRunEventSource,
      crossProcess: !!cluster,
      // A socket joins its caller's workspace only: session cookie, or `auth: { token }` for scripts.
      authenticate: (handshake) => socketWorkspace(handshake),
      log: (level, msg, fields) => logger[level](`realtime: ${msg}`, fields),
    }),
  );
  // Run status changes of the whole workspace (the /runs dashboard).
  const feed = attachWorkspaceFeed(io, { source: registeredRunEventSource, log: (level, msg, fields) => logger[level](`workspace feed: ${msg}`, fields) });
  addRunEventTap("workspace-feed", (events) => feed.publish(events));

  // Queue mode (REDIS_URL): the heartbeat, and in role "all" the consumer of the shared run queue.
  const queue = await startQueueServices(getRunManager(), (level, msg, fields) => logger[level](msg, fields));

  httpServer.listen(port, hostname, () => {
    logger.info("Aura Studio ready", {
      url: `http://localhost:${port}`,
      dev,
      role,
      runs: queue ? (role === "web" ? "queue mode, executed by workers" : "queue mode, executed here and by workers") : "this process",
      realtime: cluster ? "shared over Redis" : "this process",
      ms: Date.now() - started,
    });
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    // Queue mode: stop taking jobs and let runs in flight finish first (AURA_DRAIN_MS).
    await queue?.stop().catch(() => {});
    void io.close();
    void cluster?.close();
    void breakers?.close();
    void flushObservability();
    // Runs in flight stay "running" and resume from their checkpoints at the next start (or on another worker).
    void stopBackend().catch(() => {});
    httpServer.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  logger.fatal("failed to start", { err });
  process.exit(1);
});
