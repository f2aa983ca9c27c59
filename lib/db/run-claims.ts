import "server-only";
import type { Database } from "./client";

/**
 * The lease owner of a run that waits in the shared (BullMQ) queue: no process holds it yet. Its
 * lease never expires by time (the lease sweep leaves it alone); a queue worker claims it with
 * `claimNextQueuedRun`, which is the only way out of this state besides cancel.
 */
export const QUEUE_LEASE_OWNER = "queue";

/** The expiry stored with QUEUE_LEASE_OWNER (far future: such a lease never lapses by itself). */
export const QUEUE_LEASE_EXPIRY = new Date("9999-12-31T00:00:00Z");

/** A run claimed by `claimNextQueuedRun`, as it was BEFORE the claim (startedAt null = first segment). */
export interface ClaimedRun {
  id: string;
  workflowId: string;
  startedAt: Date | null;
}

/**
 * Claims the OLDEST queued run of a workflow that waits in the shared queue (FIFO per workflow, by
 * createdAt then id), if the workflow runs fewer than `limit` runs right now in any process: status
 * "running", lease `owner` until `expiresAt`, in one transaction. On PostgreSQL a per-workflow advisory
 * lock (the same key as runs.claimRun) makes concurrent claims take turns, so the count is exact;
 * SQLite has one writer at a time. Returns the run, "full" (every slot is taken) or "none".
 */
export async function claimNextQueuedRun(
  db: Database,
  workflowId: string,
  owner: string,
  expiresAt: Date,
  now: Date,
  limit: number,
): Promise<ClaimedRun | "full" | "none"> {
  return db.prisma.$transaction(async (tx) => {
    if (db.provider === "postgresql") await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, workflowId);
    const next = await tx.run.findFirst({
      where: { workflowId, status: "queued", leaseOwner: QUEUE_LEASE_OWNER },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, workflowId: true, startedAt: true },
    });
    if (!next) return "none";
    const running = await tx.run.count({ where: { workflowId, status: "running" } });
    if (running >= limit) return "full";
    const { count } = await tx.run.updateMany({
      where: { id: next.id, status: "queued", leaseOwner: QUEUE_LEASE_OWNER },
      data: { status: "running", startedAt: next.startedAt ?? now, finishedAt: null, leaseOwner: owner, leaseExpiresAt: expiresAt },
    });
    return count === 1 ? next : "none";
  });
}

/** Workflows with runs waiting in the shared queue, with how many (the reconciler re-announces them). */
export async function queuedWorkflows(db: Database): Promise<{ workflowId: string; n: number }[]> {
  const rows = await db.prisma.run.groupBy({
    by: ["workflowId"],
    where: { status: "queued", leaseOwner: QUEUE_LEASE_OWNER },
    _count: { _all: true },
  });
  return rows.map((r) => ({ workflowId: r.workflowId, n: r._count._all }));
}

/** Hands a run waiting in the shared queue to `owner` (who puts it in a queue of its own), or drops `from`'s lease. */
export async function setLeaseOwner(db: Database, id: string, from: string, to: string | null, expiresAt: Date | null): Promise<boolean> {
  const { count } = await db.prisma.run.updateMany({ where: { id, leaseOwner: from }, data: { leaseOwner: to, leaseExpiresAt: expiresAt } });
  return count === 1;
}
