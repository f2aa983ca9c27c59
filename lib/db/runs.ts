import "server-only";
import { z } from "zod";
import type { Prisma, Run } from "./generated/sqlite/client";
import type { Database } from "./client";
import type { EngineEvent, RunEvent } from "@/lib/contracts/events";
import { auditEntryInsert, type AuditInsert } from "./audit";
import { writeAtomically, type WriteStatement } from "./sqlite-writes";
import { newRunEventsInsert } from "./run-events";
import {
  parseRunColumn,
  PendingDecisionSchema,
  RunInputSchema,
  WaitingForSchema,
  type PendingDecision,
  type RunInput,
  type WaitingApproval,
} from "./run-columns";

export { RunColumnError, type PendingDecision, type RunInput, type WaitingApproval } from "./run-columns";

type JsonColumn = "input" | "result" | "waitingFor" | "pendingDecision";

/** A run row with its JSON columns parsed (run-columns.ts). */
export type RunRow = Omit<Run, JsonColumn> & {
  input: RunInput;
  /** The Output value of a succeeded run; null otherwise. */
  result: unknown;
  /** The node.waiting events of a run paused at approvals. */
  waitingFor: WaitingApproval[] | null;
  /** An approval answer not yet handed to its node. */
  pendingDecision: PendingDecision | null;
};

/** Fields of a run to change: the JSON columns as values (stored as JSON text here). */
export type RunUpdate = Omit<Prisma.RunUpdateManyMutationInput, JsonColumn> & {
  result?: unknown;
  waitingFor?: WaitingApproval[] | null;
  pendingDecision?: PendingDecision | null;
};

/** Parses a row's JSON columns once, with their schemas (a malformed column throws RunColumnError naming the run). */
export function toRunRow(row: Run): RunRow {
  return {
    ...row,
    input: parseRunColumn(row.id, "input", RunInputSchema, row.input) ?? {},
    result: row.result == null ? null : parseRunColumn(row.id, "result", z.unknown(), row.result),
    waitingFor: parseRunColumn(row.id, "waitingFor", WaitingForSchema, row.waitingFor),
    pendingDecision: parseRunColumn(row.id, "pendingDecision", PendingDecisionSchema, row.pendingDecision),
  };
}

function toColumns(data: RunUpdate): Prisma.RunUpdateManyMutationInput {
  const { result, waitingFor, pendingDecision, ...rest } = data;
  return {
    ...rest,
    ...(result !== undefined ? { result: JSON.stringify(result) } : {}),
    ...(waitingFor !== undefined ? { waitingFor: waitingFor && JSON.stringify(waitingFor) } : {}),
    ...(pendingDecision !== undefined ? { pendingDecision: pendingDecision && JSON.stringify(pendingDecision) } : {}),
  };
}

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
  input: RunInput;
  attempt?: number;
  parentRunId?: string;
  /** The process that will execute it holds the lease from the start (see takeLease). */
  lease?: { owner: string; expiresAt: Date };
}

/**
 * The INSERT of a new run in status "queued" and the row it stores (built here, not read back). Raw
 * SQL: Prisma's create compiles a query plan on the calling thread for every call, and every run
 * starts on the server's main thread.
 */
function runInsert(run: NewRun): { statement: WriteStatement; row: RunRow } {
  const row: Run = {
    id: run.id,
    workspaceId: run.workspaceId,
    workflowId: run.workflowId,
    workflowVersion: run.workflowVersion,
    status: "queued",
    trigger: run.trigger,
    threadId: run.threadId,
    input: JSON.stringify(run.input ?? {}),
    result: null,
    errorCode: null,
    errorMessage: null,
    failedNodeId: null,
    waitingFor: null,
    pendingDecision: null,
    createdAt: new Date(),
    startedAt: null,
    finishedAt: null,
    tokensInput: 0,
    tokensOutput: 0,
    costUsd: 0,
    attempt: run.attempt ?? 1,
    parentRunId: run.parentRunId ?? null,
    retriedByRunId: null,
    leaseOwner: run.lease?.owner ?? null,
    leaseExpiresAt: run.lease?.expiresAt ?? null,
    compactedAt: null,
  };
  const columns = [
    "id",
    "workspaceId",
    "workflowId",
    "workflowVersion",
    "status",
    "trigger",
    "threadId",
    "input",
    "createdAt",
    "attempt",
    "parentRunId",
    "leaseOwner",
    "leaseExpiresAt",
  ] as const;
  const statement = {
    sql: `INSERT INTO "Run" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
    params: columns.map((c) => row[c]),
  };
  const parsed: RunRow = { ...row, input: run.input ?? {}, result: null, waitingFor: null, pendingDecision: null };
  return { statement, row: parsed };
}

/** Inserts a run in status "queued" and returns its row (built here, not read back). */
export async function createRun(db: Database, run: NewRun): Promise<RunRow> {
  const { statement, row } = runInsert(run);
  await writeAtomically(db, [statement]);
  return row;
}

/**
 * Inserts a new run together with its first events (seq 0, 1…) and the audit entry of its start, in
 * ONE write transaction, and returns its row and the events as stored. One write instead of three
 * matters on SQLite: every write of the server's main thread may wait for the worker threads'
 * checkpoint commits (one write lock per file), and while it waits the event loop stands still. The
 * three are also all-or-nothing now: no run without its run.queued event or its audit entry.
 */
export async function createRunRecorded(
  db: Database,
  run: NewRun,
  events: readonly EngineEvent[],
  audit: AuditInsert | null,
): Promise<{ row: RunRow; events: RunEvent[] }> {
  const created = runInsert(run);
  const first = newRunEventsInsert(run.id, events, 0);
  await writeAtomically(db, [created.statement, ...first.statements, ...(audit ? [auditEntryInsert(audit)] : [])]);
  return { row: created.row, events: first.stored };
}

export async function findRun(db: Database, id: string): Promise<RunRow | null> {
  const row = await db.prisma.run.findUnique({ where: { id } });
  return row && toRunRow(row);
}

/** Deletes a run (and, by cascade, its events). */
export async function deleteRun(db: Database, id: string): Promise<void> {
  await db.prisma.run.delete({ where: { id } });
}

/** Marks a failed or cancelled run as retried by `childId`, unless it was retried already. True if this call marked it. */
export async function markRetried(db: Database, id: string, childId: string): Promise<boolean> {
  const { count } = await db.prisma.run.updateMany({
    where: { id, retriedByRunId: null, status: { in: ["failed", "cancelled"] } },
    data: { retriedByRunId: childId },
  });
  return count === 1;
}

/** Runs forked from a run (newest first, at most 100). */
export function listForks(db: Database, parentRunId: string): Promise<{ id: string; status: string; createdAt: Date; threadId: string }[]> {
  return db.prisma.run.findMany({
    where: { parentRunId, trigger: "fork" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: { id: true, status: true, createdAt: true, threadId: true },
  });
}

/** How many runs there are in each status (metrics). */
export async function countRunsByStatus(db: Database): Promise<{ status: string; n: number }[]> {
  const groups = await db.prisma.run.groupBy({ by: ["status"], _count: { _all: true } });
  return groups.map((x) => ({ status: x.status, n: x._count._all }));
}

/** The latest `limit` succeeded or failed runs of a workflow, newest first, optionally only those created before `before`. */
export function listFinishedRunIds(db: Database, workflowId: string, q: { limit: number; before?: Date }): Promise<{ id: string; createdAt: Date }[]> {
  return db.prisma.run.findMany({
    where: { workflowId, status: { in: ["succeeded", "failed"] }, ...(q.before ? { createdAt: { lt: q.before } } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit,
    select: { id: true, createdAt: true },
  });
}

/** A value a raw UPDATE binds as is (not a Prisma operation such as `{ increment: 1 }`). */
const isPlainValue = (v: unknown) => v === null || v instanceof Date || typeof v !== "object";

/**
 * Updates fields of a run; with `fromStatus`, only when its status is one of those (compare-and-set).
 * Returns true if updated. Plain values go out as one raw UPDATE: Prisma's updateMany compiles a query
 * plan on the calling thread for every call, and runs settle on the server's main thread, once per run.
 */
export async function updateRun(db: Database, id: string, data: RunUpdate, fromStatus?: readonly RunStatus[]): Promise<boolean> {
  const columns = Object.entries(toColumns(data)).filter(([, v]) => v !== undefined);
  // Column names come from the typed RunUpdate; the check keeps anything else out of the SQL text.
  if (columns.length && columns.every(([k, v]) => /^[A-Za-z]+$/.test(k) && isPlainValue(v))) {
    const params: unknown[] = columns.map(([, v]) => v);
    const set = columns.map(([k], i) => `"${k}" = $${i + 1}`).join(", ");
    params.push(id);
    let where = `"id" = $${params.length}`;
    if (fromStatus) {
      if (!fromStatus.length) return false;
      where += ` AND "status" IN (${fromStatus.map((st) => `$${params.push(st)}`).join(", ")})`;
    }
    const [changed] = await writeAtomically(db, [{ sql: `UPDATE "Run" SET ${set} WHERE ${where}`, params }]);
    return changed === 1;
  }
  const { count } = await db.prisma.run.updateMany({ where: { id, ...(fromStatus ? { status: { in: [...fromStatus] } } : {}) }, data: toColumns(data) });
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
export async function listRuns(db: Database, q: RunListQuery): Promise<RunRow[]> {
  const rows = await db.prisma.run.findMany({
    where: {
      workspaceId: q.workspaceId,
      ...(q.workflowId ? { workflowId: q.workflowId } : {}),
      ...(q.workflowIds
        ? { workflowId: q.workflowId && !q.workflowIds.includes(q.workflowId) ? { in: [] } : { in: q.workflowId ? [q.workflowId] : q.workflowIds } }
        : {}),
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
  return rows.map(toRunRow);
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
      OR: [
        { leaseOwner: null },
        { leaseExpiresAt: { lt: new Date() } },
        { leaseOwner: owner },
        ...(deadOwners.length ? [{ leaseOwner: { in: deadOwners } }] : []),
      ],
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
export async function claimRun(
  db: Database,
  run: { id: string; workflowId: string },
  owner: string,
  expiresAt: Date,
  startedAt: Date,
  limit: number,
): Promise<"claimed" | "full" | "gone"> {
  const update = {
    sql: `UPDATE "Run" SET "status" = 'running', "startedAt" = $1, "finishedAt" = NULL, "leaseOwner" = $2, "leaseExpiresAt" = $3
     WHERE "id" = $4 AND "status" IN ('queued', 'running')
       AND ("leaseOwner" IS NULL OR "leaseExpiresAt" < $5 OR "leaseOwner" = $2)
       AND ("status" = 'running' OR (SELECT COUNT(*) FROM "Run" AS r WHERE r."workflowId" = $6 AND r."status" = 'running') < $7)`,
    params: [startedAt, owner, expiresAt, run.id, new Date(), run.workflowId, limit],
  };
  // PostgreSQL: under READ COMMITTED two servers' claims could both see a free slot; a per-workflow
  // advisory lock in the same transaction makes them take turns. (SQLite has one writer at a time:
  // the UPDATE alone is atomic.)
  const lock = { sql: `SELECT pg_advisory_xact_lock(hashtext($1))`, params: [run.workflowId] };
  const count = (await writeAtomically(db, db.provider === "postgresql" ? [lock, update] : [update])).at(-1);
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
export function listUnfinishedRuns(
  db: Database,
): Promise<{ id: string; workflowId: string; workflowVersion: number; status: string; leaseOwner: string | null; leaseExpiresAt: Date | null }[]> {
  return db.prisma.run.findMany({
    where: { status: { in: ["queued", "running"] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, workflowId: true, workflowVersion: true, status: true, leaseOwner: true, leaseExpiresAt: true },
  });
}

/**
 * Runs paused at a Human approval, with what they wait for (for approval deadlines). A run whose
 * waitingFor column cannot be read is left out (nothing can time it out; the run view reports it).
 */
export async function listWaitingRuns(db: Database): Promise<{ id: string; waitingFor: WaitingApproval[] }[]> {
  const rows = await db.prisma.run.findMany({ where: { status: "waiting" }, select: { id: true, waitingFor: true } });
  const out: { id: string; waitingFor: WaitingApproval[] }[] = [];
  for (const r of rows) {
    try {
      out.push({ id: r.id, waitingFor: parseRunColumn(r.id, "waitingFor", WaitingForSchema, r.waitingFor) ?? [] });
    } catch {
      // Unreadable: skipped, as documented above.
    }
  }
  return out;
}
