import "server-only";
import type { RetentionSettings } from "@/lib/workflow";
import type { Database } from "./client";
import { executeRaw, queryRaw } from "./raw-sql";
import { findVersion } from "./workflow-versions";

// Retention's queries: candidates for pruning and compaction, and the deletes, each batch in its own
// short transaction. LangGraph's checkpoint tables are not Prisma models (the savers create them), so
// they are reached with raw SQL by name: SQLite `checkpoints` / `writes` in the app file; PostgreSQL
// `<schema>.checkpoints` / `checkpoint_writes` / `checkpoint_blobs` (schema passed in by lib/server).

const STOPPED = ["succeeded", "failed", "cancelled"];

/** A stopped run as the retention rules see it. */
export interface CandidateRun {
  id: string;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
  threadId: string;
}

/** The checkpoint tables of a provider (null where they do not exist yet: no run ever executed). */
export interface CheckpointTables {
  checkpoints: string;
  writes: string;
  /** PostgreSQL only: channel values by version. */
  blobs: string | null;
}

const placeholders = (from: number, n: number) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(", ");
const toDate = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === "number" || typeof v === "string" ? new Date(v) : null);

function toCandidate(r: Record<string, unknown>): CandidateRun {
  return {
    id: String(r.id),
    status: String(r.status),
    createdAt: toDate(r.createdAt) ?? new Date(0),
    finishedAt: toDate(r.finishedAt),
    threadId: String(r.threadId),
  };
}

/** The checkpoint tables, or null when the savers have not created them yet. */
export async function checkpointTables(db: Database, pgSchema: string): Promise<CheckpointTables | null> {
  if (db.provider === "sqlite") {
    const rows = await queryRaw(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('checkpoints', 'writes')`, []);
    return rows.length === 2 ? { checkpoints: "checkpoints", writes: "writes", blobs: null } : null;
  }
  const rows = await queryRaw(db, `SELECT to_regclass($1)::text AS t`, [`"${pgSchema}".checkpoints`]);
  if (!rows[0]?.t) return null;
  return { checkpoints: `"${pgSchema}".checkpoints`, writes: `"${pgSchema}".checkpoint_writes`, blobs: `"${pgSchema}".checkpoint_blobs` };
}

/** Every workflow with its current document's retention overrides (a document that does not parse has none). */
export async function workflowRetentionSettings(db: Database): Promise<{ id: string; retention: RetentionSettings | undefined }[]> {
  const rows = await db.prisma.workflow.findMany({ select: { id: true, currentVersion: true }, orderBy: { id: "asc" } });
  const out: { id: string; retention: RetentionSettings | undefined }[] = [];
  for (const w of rows) {
    let retention: RetentionSettings | undefined;
    try {
      retention = (await findVersion(db, w.id, w.currentVersion))?.document.settings.retention;
    } catch {
      // A broken stored document must not stop retention for the rest; the server defaults apply.
      retention = undefined;
    }
    out.push({ id: w.id, retention });
  }
  return out;
}

/** Up to `limit` stopped runs of a workflow that finished before their cutoff (failed runs have their own). */
export async function listAgedRuns(db: Database, workflowId: string, q: { stoppedBefore: Date; failedBefore: Date; limit: number }): Promise<CandidateRun[]> {
  const rows = await queryRaw(
    db,
    `SELECT "id", "status", "createdAt", "finishedAt", "threadId" FROM "Run"
     WHERE "workflowId" = $1 AND (
       ("status" IN ('succeeded', 'cancelled') AND ("finishedAt" < $2 OR ("finishedAt" IS NULL AND "createdAt" < $2))) OR
       ("status" = 'failed' AND ("finishedAt" < $3 OR ("finishedAt" IS NULL AND "createdAt" < $3))))
     LIMIT $4`,
    [workflowId, q.stoppedBefore, q.failedBefore, q.limit],
  );
  return rows.map(toCandidate);
}

/** Where a workflow's count limit falls: the newest stopped run that is over it (it and everything older goes). */
export interface CountCutoff {
  createdAt: Date;
  id: string;
}

/**
 * The stopped run with exactly `keep` newer stopped runs (newest first by createdAt, then id), or null
 * when the workflow has no more than `keep`. Asked once per pass: runs started later only push the
 * cutoff's run further down, so everything at or before it stays over the limit for the whole pass.
 */
export async function countCutoff(db: Database, workflowId: string, keep: number): Promise<CountCutoff | null> {
  return db.prisma.run.findFirst({
    where: { workflowId, status: { in: STOPPED } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: keep,
    select: { createdAt: true, id: true },
  });
}

/** Up to `limit` stopped runs of a workflow at or before the cutoff (any order: they all go). */
export async function listRunsUpTo(db: Database, workflowId: string, cutoff: CountCutoff, limit: number): Promise<CandidateRun[]> {
  return db.prisma.run.findMany({
    where: {
      workflowId,
      status: { in: STOPPED },
      OR: [{ createdAt: { lt: cutoff.createdAt } }, { createdAt: cutoff.createdAt, id: { lte: cutoff.id } }],
    },
    take: limit,
    select: { id: true, status: true, createdAt: true, finishedAt: true, threadId: true },
  });
}

/** What one delete batch removed. */
export interface DeletedCounts {
  /** The runs actually deleted (a run that became active meanwhile is not among them). */
  ids: string[];
  runs: number;
  events: number;
  checkpoints: number;
  writes: number;
  blobs: number;
}

/**
 * Deletes stopped runs with their events, and the checkpoints, writes (and PostgreSQL blobs) of their
 * threads that no remaining run uses, in ONE short transaction. A run that became active since it
 * was chosen (resumed, retried) is left alone: the status is checked by the DELETE itself.
 */
export async function deleteRuns(db: Database, ids: readonly string[], tables: CheckpointTables | null): Promise<DeletedCounts> {
  const counts: DeletedCounts = { ids: [], runs: 0, events: 0, checkpoints: 0, writes: 0, blobs: 0 };
  if (!ids.length) return counts;
  const sqlite = db.provider === "sqlite";
  const q = (sql: string) => (sqlite ? sql.replace(/\$\d+/g, "?") : sql);
  await db.prisma.$transaction(async (tx) => {
    const n = ids.length;
    const stopped = placeholders(n + 1, STOPPED.length);
    // Events first, guarded by the run's status in the same statement; then the runs with the same guard.
    counts.events = await tx.$executeRawUnsafe(
      q(`DELETE FROM "RunEvent" WHERE "runId" IN (SELECT "id" FROM "Run" WHERE "id" IN (${placeholders(1, n)}) AND "status" IN (${stopped}))`),
      ...ids,
      ...STOPPED,
    );
    const deleted = await tx.$queryRawUnsafe<{ id: string; threadId: string }[]>(
      q(`DELETE FROM "Run" WHERE "id" IN (${placeholders(1, n)}) AND "status" IN (${stopped}) RETURNING "id", "threadId"`),
      ...ids,
      ...STOPPED,
    );
    counts.runs = deleted.length;
    counts.ids = deleted.map((d) => d.id);
    const threads = [...new Set(deleted.map((d) => d.threadId))];
    if (!tables || !threads.length) return;
    const freed = `thread_id IN (${placeholders(1, threads.length)}) AND NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."threadId" = thread_id)`;
    counts.writes = await tx.$executeRawUnsafe(q(`DELETE FROM ${tables.writes} WHERE ${freed}`), ...threads);
    if (tables.blobs) counts.blobs = await tx.$executeRawUnsafe(q(`DELETE FROM ${tables.blobs} WHERE ${freed}`), ...threads);
    counts.checkpoints = await tx.$executeRawUnsafe(q(`DELETE FROM ${tables.checkpoints} WHERE ${freed}`), ...threads);
  });
  return counts;
}

/**
 * Up to `limit` threads with checkpoints that no run uses (a crash between a batch's statements, runs
 * deleted with their workflow). A fork writes its thread a moment BEFORE its run row, so the pruner
 * deletes such a thread only if it is still orphaned on its next pass (deleteThreadsIfOrphaned).
 */
export async function listOrphanThreads(db: Database, tables: CheckpointTables, limit: number): Promise<string[]> {
  const rows = await queryRaw(
    db,
    `SELECT DISTINCT thread_id AS t FROM ${tables.checkpoints} c WHERE NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."threadId" = c.thread_id) LIMIT $1`,
    [limit],
  );
  return rows.map((r) => String(r.t));
}

/** Deletes the checkpoints, writes and blobs of these threads where no run uses them; returns checkpoint rows deleted. */
export async function deleteThreadsIfOrphaned(db: Database, tables: CheckpointTables, threads: readonly string[]): Promise<number> {
  if (!threads.length) return 0;
  const inList = `thread_id IN (${placeholders(1, threads.length)}) AND NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."threadId" = thread_id)`;
  const statements = [executeRaw(db, `DELETE FROM ${tables.writes} WHERE ${inList}`, threads)];
  if (tables.blobs) statements.push(executeRaw(db, `DELETE FROM ${tables.blobs} WHERE ${inList}`, threads));
  statements.push(executeRaw(db, `DELETE FROM ${tables.checkpoints} WHERE ${inList}`, threads));
  const results = await db.prisma.$transaction(statements);
  return results[results.length - 1] ?? 0;
}
