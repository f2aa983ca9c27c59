import "server-only";
import os from "node:os";
import type { QueueStatus } from "@/lib/contracts/queue-api";
import { getRunManager } from "../runs/manager";
import { queuePrefix } from "./config";
import { listProcesses } from "./heartbeat";
import { getRunQueue, processIdentity } from "./runtime";

const started = new Date().toISOString();

/**
 * The workers panel's data: in queue mode the shared queue's job counts and every process with a
 * fresh heartbeat; in-process mode this process's own queue and itself.
 */
export async function queueStatus(): Promise<QueueStatus> {
  const queue = getRunQueue();
  if (queue) {
    const [counts, processes] = await Promise.all([queue.counts(), listProcesses(queue.redis(), queuePrefix())]);
    return { mode: "queue", queue: counts, processes };
  }
  const manager = getRunManager();
  const stats = manager.queueStats();
  const { role, label } = processIdentity();
  return {
    mode: "in-process",
    queue: { waiting: stats.queued, active: stats.active, delayed: 0 },
    processes: [
      {
        label,
        role,
        host: os.hostname(),
        pid: process.pid,
        inFlight: stats.active,
        startedAt: started,
        lastHeartbeatAt: new Date().toISOString(),
        draining: false,
      },
    ],
  };
}
