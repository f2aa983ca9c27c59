import "server-only";
import { QUEUE_LEASE_EXPIRY, QUEUE_LEASE_OWNER } from "@/lib/db/run-claims";
import type { RunQueueOwner } from "../runs/requeue";
import { AppError, ErrorCode } from "../errors";
import type { RunQueue } from "./run-queue";

/**
 * Where use-cases queue runs in queue mode: the run row gets the "queue" lease (no process holds it;
 * see lib/db/run-claims.ts) and a job announces it on the shared queue. A worker that takes the job
 * claims the oldest waiting run of the workflow. If Redis refuses the job the row still waits (the start
 * succeeds; `onRefused` hears of it), and the reconciler (reconcile.ts) announces it once Redis is back.
 */
export function queueDispatcher(queue: RunQueue, onRefused?: (runId: string, message: string) => void): RunQueueOwner {
  return {
    owner: QUEUE_LEASE_OWNER,
    leaseExpiry: () => QUEUE_LEASE_EXPIRY,
    // The row is queued already (the record of truth), so a refused wake-up is not a failed start: the
    // caller gets its run id, and the reconciler announces the run once Redis is back (at once on reconnect).
    enqueue: (run) =>
      queue.announce({ workflowId: run.workflowId, runId: run.id }).catch((err: unknown) => {
        if (!(err instanceof AppError && err.code === ErrorCode.QUEUE_UNAVAILABLE)) throw err;
        onRefused?.(run.id, err.message);
      }),
  };
}
