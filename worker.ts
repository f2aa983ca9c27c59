/**
 * The queue-mode worker process (`npm run worker`): takes jobs from the shared run queue (BullMQ on
 * REDIS_URL) and executes the runs in its worker threads; serves no UI or API. Needs DATABASE_URL and
 * REDIS_URL. Its events reach browsers and waiting API calls of every web process through the
 * realtime Redis adapter. SIGTERM: stop taking jobs, let runs finish (AURA_DRAIN_MS), exit.
 * Wiring only; behaviour lives in lib/.
 */
import { createServer } from "node:http";
import { Server as SocketServer } from "socket.io";
import { registeredRunEventSource, setRealtimeServer } from "@/lib/realtime/registry";
import { connectRedisCluster } from "@/lib/realtime/redis-cluster";
import { attachRealtime } from "@/lib/realtime/socket-server";
import { addRunEventTap } from "@/lib/realtime/taps";
import { attachWorkspaceFeed } from "@/lib/realtime/workspace-feed";
import { flushObservability, installObservability, logger } from "@/lib/server/observability";
import { metricsText } from "@/lib/server/metrics-snapshot";
import { checkRoleSetup } from "@/lib/server/queue/config";
import { startQueueServices } from "@/lib/server/queue/services";
import { startWorkerBackend } from "@/lib/server/queue/worker-boot";
import { getRunManager, shutdownRunManager } from "@/lib/server/runs/manager";
import { providerResilience } from "@/lib/server/providers";
import { connectBreakerSync } from "@/lib/server/providers/redis-breaker-sync";

async function main() {
  const started = Date.now();
  // This entry point IS the worker role; another AURA_ROLE here is a deployment mistake.
  process.env.AURA_ROLE ||= "worker";
  if (process.env.AURA_ROLE !== "worker")
    throw new Error(`worker.ts runs the worker role; AURA_ROLE="${process.env.AURA_ROLE}" belongs to server.ts (npm start).`);
  checkRoleSetup("worker");
  installObservability();
  // Live events: a Socket.IO server with no HTTP listener, only the Redis adapter, so what this
  // process publishes reaches the browsers (and ?wait= / SSE callers) of every web process.
  const io = new SocketServer();
  const cluster = await connectRedisCluster(process.env.REDIS_URL!, (msg) => logger.error(msg));
  io.adapter(cluster.adapter);
  // Circuit breakers shared with every other process (opened in one, open in all; one probe): this worker's
  // runs call the providers, so its breakers must hear what the others learned.
  const breakers = await connectBreakerSync(process.env.REDIS_URL!, providerResilience().registry, { log: (msg) => logger.error(msg) });
  providerResilience().registry.setSync(breakers);
  setRealtimeServer(
    attachRealtime(io, {
      source: registeredRunEventSource,
      crossProcess: true,
      authenticate: () => null,
      log: (level, msg, fields) => logger[level](`realtime: ${msg}`, fields),
    }),
  );
  const feed = attachWorkspaceFeed(io, { source: registeredRunEventSource, log: (level, msg, fields) => logger[level](`workspace feed: ${msg}`, fields) });
  addRunEventTap("workspace-feed", (events) => feed.publish(events));

  const { recovered } = await startWorkerBackend();
  const services = await startQueueServices(getRunManager(), (level, msg, fields) => logger[level](msg, fields));

  // Optional: this process's own /metrics and /health (AURA_METRICS_PORT); web processes serve /api/metrics.
  const metricsPort = Number(process.env.AURA_METRICS_PORT);
  const http = metricsPort
    ? createServer((req, res) => {
        if (req.url === "/health") {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, inFlight: getRunManager().inFlight() }));
          return;
        }
        if (req.url !== "/metrics") return void res.writeHead(404).end();
        metricsText().then(
          (text) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(text),
          () => res.writeHead(503).end(),
        );
      }).listen(metricsPort)
    : null;

  logger.info("Aura worker ready", { pid: process.pid, recovered, ms: Date.now() - started, metricsPort: metricsPort || null });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("worker shutting down", { signal });
    const finished = await services?.stop().catch(() => false);
    // What did not finish in time keeps its checkpoint; closing releases its lease, and another
    // worker continues it from there.
    await shutdownRunManager().catch(() => {});
    http?.close();
    // No io.close(): this Server never had an HTTP engine (close would throw); its adapter's clients close below.
    io.removeAllListeners();
    await cluster.close().catch(() => {});
    await breakers.close().catch(() => {});
    await flushObservability();
    logger.info("worker stopped", { finished: finished ?? true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  logger.fatal("worker failed to start", { err });
  process.exit(1);
});
