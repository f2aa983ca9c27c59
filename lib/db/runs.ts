import "server-only";
import type { Prisma, Run } from "./generated/sqlite/client";
import type { Database } from "./client";
import { executeRaw } from "./raw-sql";

/** A run row (JSON fields are text; lib/server parses them). */
export type RunRow = Run;

export const RUN_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_TRIGGERS = ["ui", "api", "webhook", "schedule", "cli", "retry", "fork"] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
/** Statuses a run leaves only by being resumed/retried. */
export const FINAL_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];

export interface NewRun {
  id: string;
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  trigger: RunTrigger;
  threadId: string;
  input: unknown;
  attempt?: number;
  parentRunId?: string;
  /** The process that will execute it holds the lease from the start (see takeLease). */
  lease?: { owner: string; expiresAt: Date };
}

/** Inserts a run in status "queued". */
export function createRun(db: Database, run: NewRun): Promise<RunRow> {
  const { input, lease, ...rest } = run;
  return db.prisma.run.create({
    data: { ...rest, status: "queued", input: JSON.stringify(input ?? {}), ...(lease ? { leaseOwner: lease.owner, leaseExpiresAt: lease.expiresAt } : {}) },
  });
}

export function findRun(db: Database, id: string): Promise<RunRow | null> {
  return db.prisma.run.findUnique({ where: { id } });
}

/** Updates fields of a run; with `fromStatus`, only when its status is one of those (compare-and-set). Returns true if updated. */
export async function updateRun(db: Database, id: string, data: Prisma.RunUpdateManyMutationInput, fromStatus?: readonly RunStatus[]): Promise<boolean> {
  const { count } = await db.prisma.run.updateMany({ where: { id, ...(fromStatus ? { status: { in: [...fromStatus] } } : {}) }, data });
  return count === 1;
}

export interface RunListQuery {
  workspaceId: string;
  workflowId?: string;
  /** Any of these workflows (text search resolved to workflow ids); an empty list matches nothing. */
  workflowIds?: string[];
  status?: RunStatus[];
  trigger?: RunTrigger[];
  /** createdAt >= from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
  /** Run ids starting with this (a range on the primary key, so it uses the index on both providers). */
  idPrefix?: string;
  /** Only failed runs nobody retried (dead letters). */
  deadLetters?: boolean;
  /** Continue after this (createdAt, id), newest first. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Runs newest first, paged by (createdAt, id). Returns one extra row when there are more (caller trims). */
export function listRuns(db: Database, q: RunListQuery): Promise<RunRow[]> {
  return db.prisma.run.findMany({
    where: {
      workspaceId: q.workspaceId,
      ...(q.workflowId ? { workflowId: q.workflowId } : {}),
      ...(q.workflowIds ? { workflowId: q.workflowId && !q.workflowIds.includes(q.workflowId) ? { in: [] } : { in: q.workflowId ? [q.workflowId] : q.workflowIds } } : {}),
      ...(q.status?.length ? { status: q.status.length === 1 ? q.status[0] : { in: q.status } } : {}),
      ...(q.trigger?.length ? { trigger: q.trigger.length === 1 ? q.trigger[0] : { in: q.trigger } } : {}),
      ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
      ...(q.idPrefix ? { id: { gte: q.idPrefix, lt: `${q.idPrefix}\uffff` } } : {}),
      ...(q.deadLetters ? { status: "failed", retriedByRunId: null } : {}),
      ...(q.after ? { OR: [{ createdAt: { lt: q.after.createdAt } }, { createdAt: q.after.createdAt, id: { lt: q.after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
}

/** The status of the latest run of each workflow (workflows without runs are absent). */
export async function latestRunStatuses(db: Database, workflowIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!workflowIds.length) return out;
  const latest = await db.prisma.run.groupBy({ by: ["workflowId"], where: { workflowId: { in: workflowIds } }, _max: { createdAt: true } });
  const rows = await db.prisma.run.findMany({
    where: { OR: latest.filter((l) => l._max.createdAt).map((l) => ({ workflowId: l.workflowId, createdAt: l._max.createdAt! })) },
    select: { workflowId: true, status: true, createdAt: true, id: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  for (const r of rows) if (!out.has(r.workflowId)) out.set(r.workflowId, r.status);
  return out;
}

// ── Leases: which process executes a run ────────────────────────────────────────────────────────

/**
 * Takes the run's lease for `owner` until `expiresAt` when it is free, expired, already ours, or held
 * by an owner `isDead` says is gone (same host, dead pid). One conditional UPDATE: two processes
 * cannot both take it.
 */
export async function takeLease(db: Database, id: string, owner: string, expiresAt: Date, deadOwners: string[] = []): Promise<boolean> {
  const { count } = await db.prisma.run.updateMany({
    where: {
      id,
      OR: [{ leaseOwner: null }, { leaseExpiresAt: { lt: new Date() } }, { leaseOwner: owner }, ...(deadOwners.length ? [{ leaseOwner: { in: deadOwners } }] : [])],
    },
    data: { leaseOwner: owner, leaseExpiresAt: expiresAt },
  });
  return count === 1;
}

/**
 * Claims a queued or running run for execution by `owner`: status "running" and the lease, in one
 * conditional UPDATE. "claimed"; "full" when the workflow already has `limit` runs executing (in
 * any process: the count is the database's, so maxConcurrentRuns holds across servers) and the run
 * should wait; "gone" when it finished or was cancelled meanwhile, or another process holds it.
 * A run already "running" (taken over after a crash) was admitted before and does not count again.
 */
export async function claimRun(db: Database, run: { id: string; workflowId: string }, owner: string, expiresAt: Date, startedAt: Date, limit: number): Promise<"claimed" | "full" | "gone"> {
  const update = executeRaw(
    db,
    `UPDATE "Run" SET "status" = 'running', "startedAt" = $1, "finishedAt" = NULL, "leaseOwner" = $2, "leaseExpiresAt" = $3
     WHERE "id" = $4 AND "status" IN ('queued', 'running')
       AND ("leaseOwner" IS NULL OR "leaseExpiresAt" < $5 OR "leaseOwner" = $2)
       AND ("status" = 'running' OR (SELECT COUNT(*) FROM "Run" AS r WHERE r."workflowId" = $6 AND r."status" = 'running') < $7)`,
    [startedAt, owner, expiresAt, run.id, new Date(), run.workflowId, limit],
  );
  let count: number;
  if (db.provider === "postgresql") {
    // Under READ COMMITTED two servers' claims could both see a free slot; a per-workflow advisory
    // lock makes them take turns. (SQLite has one writer at a time: the UPDATE alone is atomic.)
    const lock = executeRaw(db, `SELECT pg_advisory_xact_lock(hashtext($1))`, [run.workflowId]);
    [, count] = await db.prisma.$transaction([lock, update]);
  } else {
    count = await update;
  }
  if (count === 1) return "claimed";
  const row = await db.prisma.run.findUnique({ where: { id: run.id }, select: { status: true, leaseOwner: true } });
  return row?.status === "queued" && row.leaseOwner === owner ? "full" : "gone";
}

/** Extends the leases `owner` holds on these runs. */
export async function renewLeases(db: Database, ids: string[], owner: string, expiresAt: Date): Promise<void> {
  if (ids.length) await db.prisma.run.updateMany({ where: { id: { in: ids }, leaseOwner: owner }, data: { leaseExpiresAt: expiresAt } });
}

/** Drops `owner`'s lease on the run. */
export async function releaseLease(db: Database, id: string, owner: string): Promise<void> {
  await db.prisma.run.updateMany({ where: { id, leaseOwner: owner }, data: { leaseOwner: null, leaseExpiresAt: null } });
}

/** The statuses of these runs (owners check for cancels made by other processes). */
export async function runStatuses(db: Database, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.prisma.run.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** Drops every lease `owner` holds (clean shutdown: another process may take the runs at once). */
export async function releaseAllLeases(db: Database, owner: string): Promise<void> {
  await db.prisma.run.updateMany({ where: { leaseOwner: owner }, data: { leaseOwner: null, leaseExpiresAt: null } });
}

/** Unfinished runs (queued or running), oldest first, with their lease: what recovery looks at. */
export function listUnfinishedRuns(db: Database): Promise<RunRow[]> {
  return db.prisma.run.findMany({ where: { status: { in: ["queued", "running"] } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** Runs paused at a Human approval, with what they wait for (for approval deadlines). */
export function listWaitingRuns(db: Database): Promise<{ id: string; waitingFor: string | null }[]> {
  return db.prisma.run.findMany({ where: { status: "waiting" }, select: { id: true, waitingFor: true } });
}
