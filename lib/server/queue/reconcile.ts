import "server-only";
import type { Database } from "@/lib/db/client";
import { queuedWorkflows } from "@/lib/db/run-claims";
import type { RunQueue } from "./run-queue";

/** How often one process (a Redis lock picks it) re-announces waiting runs. */
export const RECONCILE_MS = 30_000;
/**
 * Safety net for lost announcements (Redis restarted without persistence, or refused a job while a
 * run was queued): the run rows are the truth. Every RECONCILE_MS one process compares the runs
 * waiting in the shared queue with the jobs waiting or delayed on it (one job executes one run) and
 * announces the difference, spread over the workflows by their waiting runs. Extra announcements are
 * harmless (a job that finds nothing to claim completes), but a round that re-announced every
 * waiting run would double a healthy backlog's jobs every 30 s. Returns how many it announced (0
 * when nothing is missing or another process holds the round).
 */
export async function reconcileOnce(queue: RunQueue, database: () => Promise<Database>, lockTtlMs = RECONCILE_MS - 1000): Promise<number> {
  const won = await queue.redis().set(`${queue.prefix}:reconcile-lock`, String(process.pid), "PX", lockTtlMs, "NX");
  if (won !== "OK") return 0;
  const rows = await queuedWorkflows(await database());
  const waiting = rows.reduce((sum, r) => sum + r.n, 0);
  if (!waiting) return 0;
  const jobs = await queue.counts();
  const missing = waiting - jobs.waiting - jobs.delayed;
  if (missing <= 0) return 0;
  const tokens = rows.flatMap((r) =>
    Array.from({ length: Math.min(r.n, Math.ceil((r.n * missing) / waiting)) }, (_, i) => ({ workflowId: r.workflowId, runId: `reconcile-${i}` })),
  );
  await queue.announceMany(tokens);
  return tokens.length;
}

/** Runs reconcileOnce every RECONCILE_MS; returns a stopper. */
export function startReconciler(queue: RunQueue, database: () => Promise<Database>, onError: (err: unknown) => void): () => void {
  const round = () => void reconcileOnce(queue, database).catch(onError);
  const timer = setInterval(round, RECONCILE_MS);
  timer.unref();
  // Redis back after an outage: runs queued meanwhile (their wake-ups were refused) start now, not a round later.
  let lost = false;
  const onClose = () => (lost = true);
  const onReady = () => {
    if (!lost) return;
    lost = false;
    round();
  };
  const redis = queue.redis();
  redis.on("close", onClose);
  redis.on("ready", onReady);
  return () => {
    clearInterval(timer);
    redis.off("close", onClose);
    redis.off("ready", onReady);
  };
}
