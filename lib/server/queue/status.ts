import "server-only";
import os from "node:os";
import type { QueueStatus } from "@/lib/contracts/queue-api";
import { AppError, ErrorCode } from "../errors";
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
    try {
      const [counts, processes] = await Promise.all([queue.counts(), listProcesses(queue.redis(), queuePrefix())]);
      return { mode: "queue", queue: counts, processes };
    } catch (err) {
      throw new AppError(
        ErrorCode.QUEUE_UNAVAILABLE,
        `The run queue (Redis at REDIS_URL) did not answer: ${err instanceof Error ? err.message : String(err)}. Runs still start and wait in the database; check Redis.`,
      );
    }
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
