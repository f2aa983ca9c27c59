import "server-only";
import { getDatabase } from "@/lib/db/database";
import { promRegistry } from "../observability/metrics";
import type { RunManager } from "../runs/manager";
import { listenForCancels } from "./cancel-bus";
import { drainMs, queuePrefix, workerConcurrency } from "./config";
import { RunConsumer } from "./consumer";
import { startHeartbeat } from "./heartbeat";
import { installQueueMetrics } from "./metrics";
import { startReconciler } from "./reconcile";
import { getRunQueue, processIdentity } from "./runtime";

type Log = (level: "info" | "error", msg: string, fields?: Record<string, unknown>) => void;

/** What queue mode runs in a process; `stop` drains (SIGTERM) and closes. */
export interface QueueServices {
  consumer: RunConsumer | null;
  /** Stops taking jobs, lets runs in flight finish for up to AURA_DRAIN_MS, then releases what is left. True if all finished. */
  stop(): Promise<boolean>;
}

/**
 * Starts this process's part of queue mode (call after the run manager started): every role writes a
 * heartbeat and labels its metrics; "all" and "worker" also take jobs (RunConsumer), obey cancel
 * requests of web processes and take part in the reconciler. Null without REDIS_URL.
 */
export async function startQueueServices(manager: RunManager, log: Log): Promise<QueueServices | null> {
  const queue = getRunQueue();
  const me = processIdentity();
  // Every process's /metrics carries its own figures; the label tells them apart when scraped together.
  promRegistry().setDefaultLabels({ process: me.label });
  if (!queue) return null;
  installQueueMetrics(queue);
  const prefix = queuePrefix();
  let draining = false;
  const stopBeat = startHeartbeat(queue.redis(), prefix, me, () => ({ inFlight: manager.inFlight(), draining }));
  if (me.role === "web") {
    return {
      consumer: null,
      stop: async () => {
        await stopBeat();
        return true;
      },
    };
  }
  const consumer = new RunConsumer(queue, manager, { concurrency: workerConcurrency(), log });
  const stopCancels = await listenForCancels(queue.redis(), prefix, (runId, reason) => void manager.cancelActive(runId, reason));
  const stopReconciler = startReconciler(queue, getDatabase, (err) => log("error", "run queue reconcile failed", { err: String(err) }));
  return {
    consumer,
    async stop() {
      draining = true;
      manager.drain();
      stopReconciler();
      const started = Date.now();
      const drained = await consumer.close(drainMs());
      // Runs still executing (taken over by the lease sweep, not through a job) get the rest of the time.
      const left = Math.max(0, drainMs() - (Date.now() - started));
      const idle = await Promise.race([manager.idle().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), left).unref())]);
      await stopCancels();
      await stopBeat();
      log("info", "run queue drained", { finished: drained && idle });
      return drained && idle;
    },
  };
}
