import "server-only";
import { QUEUE_LEASE_EXPIRY, QUEUE_LEASE_OWNER } from "@/lib/db/run-claims";
import type { RunQueueOwner } from "../runs/requeue";
import type { RunQueue } from "./run-queue";

/**
 * Where use-cases queue runs in queue mode: the run row gets the "queue" lease (no process holds it;
 * see lib/db/run-claims.ts) and a job announces it on the shared queue. A worker that takes the job
 * claims the oldest waiting run of the workflow. If Redis refuses the job the row still waits, and
 * the reconciler (reconcile.ts) announces it again once Redis is back.
 */
export function queueDispatcher(queue: RunQueue): RunQueueOwner {
  return {
    owner: QUEUE_LEASE_OWNER,
    leaseExpiry: () => QUEUE_LEASE_EXPIRY,
    enqueue: (run) => queue.announce({ workflowId: run.workflowId, runId: run.id }),
  };
}
