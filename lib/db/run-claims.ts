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
 * SQLite has one writer at a time. Returns the run (as it was before: startedAt null = first
 * segment), "full" (every slot is taken) or "none".
 */
export async function claimNextQueuedRun(
  db: Database,
  workflowId: string,
  owner: string,
  expiresAt: Date,
  now: Date,
  limit: number,
): Promise<ClaimedRun | "full" | "none"> {
  if (db.provider === "postgresql") return claimOnPostgres(db, workflowId, owner, expiresAt, now, limit);
  return db.prisma.$transaction(async (tx) => {
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

/**
 * PostgreSQL: the lock and ONE statement in a batch (no interactive round trips while the per-workflow
 * lock is held: claims of one workflow take turns, so the time under the lock is the throughput limit
 * of a workflow). The statement also says why nothing was claimed: no row = nothing waits ("none"); a
 * row whose `claimed` is null = the oldest waiting run stays queued ("full"). Both are read after the
 * lock, which is sound either way (a run queued since then brings its own job).
 */
async function claimOnPostgres(
  db: Database,
  workflowId: string,
  owner: string,
  expiresAt: Date,
  now: Date,
  limit: number,
): Promise<ClaimedRun | "full" | "none"> {
  const [, rows] = await db.prisma.$transaction([
    db.prisma.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, workflowId),
    db.prisma.$queryRawUnsafe<{ id: string; startedAt: Date | null; claimed: string | null }[]>(
      `WITH next AS (
         SELECT "id", "startedAt" FROM "Run"
         WHERE "workflowId" = $1 AND "status" = 'queued' AND "leaseOwner" = $2
         ORDER BY "createdAt", "id" LIMIT 1
       ), claimed AS (
         UPDATE "Run" AS r SET "status" = 'running', "startedAt" = COALESCE(next."startedAt", $3), "finishedAt" = NULL, "leaseOwner" = $4, "leaseExpiresAt" = $5
         FROM next
         WHERE r."id" = next."id" AND r."status" = 'queued' AND r."leaseOwner" = $2
           AND (SELECT COUNT(*) FROM "Run" AS c WHERE c."workflowId" = $1 AND c."status" = 'running') < $6
         RETURNING r."id"
       )
       SELECT next."id", next."startedAt", (SELECT "id" FROM claimed) AS "claimed" FROM next`,
      workflowId,
      QUEUE_LEASE_OWNER,
      now,
      owner,
      expiresAt,
      limit,
    ),
  ]);
  if (!rows.length) return "none";
  return rows[0].claimed ? { id: rows[0].id, workflowId, startedAt: rows[0].startedAt } : "full";
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

/** Which of these runs `owner` still holds the lease of (a process that lost one must stop executing it). */
export async function leasesHeldBy(db: Database, ids: string[], owner: string): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.prisma.run.findMany({ where: { id: { in: ids }, leaseOwner: owner }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}
