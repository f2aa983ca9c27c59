import "server-only";
import type { RunRow } from "@/lib/db/runs";
import { QUEUE_LEASE_OWNER } from "@/lib/db/run-claims";
import { requestCancel } from "./cancel-bus";
import { queuePrefix } from "./config";
import { getRunQueue } from "./runtime";

/**
 * Queue mode: asks the worker that executes a running run to stop it. True when the request went out
 * to a live lease holder (the worker's engine then records run.cancelled and settles the row); false
 * outside queue mode, or when no live process holds the run (the caller marks it cancelled itself).
 */
export async function cancelOnWorker(r: RunRow, reason: string): Promise<boolean> {
  const queue = getRunQueue();
  if (!queue || !r.leaseOwner || r.leaseOwner === QUEUE_LEASE_OWNER || !r.leaseExpiresAt || r.leaseExpiresAt.getTime() < Date.now()) return false;
  return (await requestCancel(queue.redis(), queuePrefix(), r.id, reason)) > 0;
}
