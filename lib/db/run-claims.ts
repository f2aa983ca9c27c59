import "server-only";
import type { Run } from "./generated/sqlite/client";
import type { RunEvent } from "@/lib/contracts/events";
import type { Database } from "./client";
import { queryAtomicallyOnPostgres } from "./pg-writes";
import { toRunRow, type RunRow } from "./runs";

/**
 * The lease owner of a run that waits in the shared (BullMQ) queue: no process holds it yet. Its
 * lease never expires by time (the lease sweep leaves it alone); a queue worker claims it with
 * `claimNextQueuedRun`, which is the only way out of this state besides cancel.
 */
export const QUEUE_LEASE_OWNER = "queue";

/** The expiry stored with QUEUE_LEASE_OWNER (far future: such a lease never lapses by itself). */
export const QUEUE_LEASE_EXPIRY = new Date("9999-12-31T00:00:00Z");

/**
 * A run claimed by `claimNextQueuedRun`, as it was BEFORE the claim (startedAt null = first segment),
 * with what its start needs, read in the claim's statement so the worker does not read it again.
 */
export interface ClaimedRun {
  id: string;
  workflowId: string;
  startedAt: Date | null;
  /** The row before the claim (the claim changed only status, lease and startedAt). */
  row: RunRow;
  /** The seq of the run's next event. */
  nextSeq: number;
  /** The run's first event (run.queued: it records the pinned-data choice), null if it has none. */
  firstEvent: RunEvent | null;
  /**
   * More runs of the workflow wait than it has slots free (maxConcurrentRuns) after this claim: their
   * jobs find it full and sleep on a back-off, so whoever executes this run should claim the next
   * one when it settles instead of leaving the slot empty meanwhile.
   */
  backlog: boolean;
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
    });
    if (!next) return "none";
    const running = await tx.run.count({ where: { workflowId, status: "running" } });
    if (running >= limit) return "full";
    const { count } = await tx.run.updateMany({
      where: { id: next.id, status: "queued", leaseOwner: QUEUE_LEASE_OWNER },
      data: { status: "running", startedAt: next.startedAt ?? now, finishedAt: null, leaseOwner: owner, leaseExpiresAt: expiresAt },
    });
    if (count !== 1) return "none";
    const last = await tx.runEvent.aggregate({ where: { runId: next.id }, _max: { seq: true } });
    const first = await tx.runEvent.findFirst({ where: { runId: next.id }, orderBy: { seq: "asc" }, select: { payload: true } });
    return {
      id: next.id,
      workflowId,
      startedAt: next.startedAt,
      row: toRunRow(next),
      nextSeq: (last._max.seq ?? -1) + 1,
      firstEvent: first ? (JSON.parse(first.payload) as RunEvent) : null,
      // More runs still waiting than the slots left free after this claim (limit - running - 1)?
      backlog: (await tx.run.count({ where: { workflowId, status: "queued", leaseOwner: QUEUE_LEASE_OWNER }, take: limit - running })) > limit - running - 1,
    };
  });
}

/**
 * PostgreSQL: the lock and ONE statement in a pipelined transaction (pg-writes.ts: BEGIN, lock, claim
 * and COMMIT written at once and answered in one round trip, so the per-workflow lock is held for the
 * statement only: claims of one workflow take turns, so the time under the lock is the throughput
 * limit of a workflow). The statement also returns the run's row,
 * its next seq and its first event (the pinned-data choice), so its start reads nothing more, and
 * says why nothing was claimed: no row = nothing waits ("none"); a row without `claimedId` = the
 * oldest waiting run stays queued ("full"). Both are read after the lock, which is sound either way
 * (a run queued since then brings its own job).
 */
async function claimOnPostgres(
  db: Database,
  workflowId: string,
  owner: string,
  expiresAt: Date,
  now: Date,
  limit: number,
): Promise<ClaimedRun | "full" | "none"> {
  const [, rows] = await queryAtomicallyOnPostgres<Run & { claimedId: string | null; backlog: boolean; nextSeq: number; firstEvent: string | null }>(db, [
    { sql: `SELECT pg_advisory_xact_lock(hashtext($1))`, params: [workflowId] },
    // The outer SELECT sees the row as it was before the UPDATE (one snapshot per statement).
    {
      sql: `WITH next AS (
         SELECT "id" FROM "Run"
         WHERE "workflowId" = $1 AND "status" = 'queued' AND "leaseOwner" = $2
         ORDER BY "createdAt", "id" LIMIT 1
       ), running AS (
         SELECT COUNT(*)::int AS "n" FROM "Run" WHERE "workflowId" = $1 AND "status" = 'running'
       ), claimed AS (
         UPDATE "Run" AS r SET "status" = 'running', "startedAt" = COALESCE(r."startedAt", $3), "finishedAt" = NULL, "leaseOwner" = $4, "leaseExpiresAt" = $5
         FROM next, running
         WHERE r."id" = next."id" AND r."status" = 'queued' AND r."leaseOwner" = $2 AND running."n" < $6
         RETURNING r."id"
       )
       SELECT r.*, (SELECT "id" FROM claimed) AS "claimedId",
         -- Beyond the slots left free after this claim, another waiting run? (This snapshot still
         -- counts the claimed run as waiting: skip it too. The scan stops at maxConcurrentRuns rows.)
         EXISTS (SELECT 1 FROM "Run" AS w WHERE w."workflowId" = $1 AND w."status" = 'queued' AND w."leaseOwner" = $2
           OFFSET GREATEST($6 - (SELECT "n" FROM running), 0)) AS "backlog",
         (SELECT (COALESCE(MAX(e."seq"), -1) + 1)::int FROM "RunEvent" AS e WHERE e."runId" = r."id") AS "nextSeq",
         (SELECT e."payload" FROM "RunEvent" AS e WHERE e."runId" = r."id" ORDER BY e."seq" LIMIT 1) AS "firstEvent"
       FROM "Run" AS r JOIN next ON r."id" = next."id"`,
      params: [workflowId, QUEUE_LEASE_OWNER, now, owner, expiresAt, limit],
    },
  ]);
  if (!rows.length) return "none";
  const { claimedId, backlog, nextSeq, firstEvent, ...run } = rows[0];
  if (!claimedId) return "full";
  return {
    id: run.id,
    workflowId,
    startedAt: run.startedAt,
    row: toRunRow(run),
    nextSeq,
    firstEvent: firstEvent === null ? null : (JSON.parse(firstEvent) as RunEvent),
    backlog,
  };
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
