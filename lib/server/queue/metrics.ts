import "server-only";
import { Gauge } from "prom-client";
import { processSlot } from "@/lib/process-singleton";
import { promRegistry } from "../observability/metrics";
import type { RunQueue } from "./run-queue";

const installed = processSlot<Gauge>("queueJobsGauge");

/** `aura_queue_jobs{state}`: jobs on the shared run queue (waiting, active, delayed), read at scrape time. */
export function installQueueMetrics(queue: RunQueue): void {
  if (installed.get()) return;
  installed.set(
    new Gauge({
      name: "aura_queue_jobs",
      help: "Jobs on the shared run queue (queue mode), by state.",
      labelNames: ["state"],
      registers: [promRegistry()],
      async collect() {
        try {
          const c = await queue.counts();
          for (const state of ["waiting", "active", "delayed"] as const) this.set({ state }, c[state]);
        } catch {
          // Redis down: the gauge keeps its last values; the health of Redis shows elsewhere.
        }
      },
    }),
  );
}
