import "server-only";
import type { Database } from "./client";
import type { CheckpointTables } from "./retention";
import { queryRaw } from "./raw-sql";

// Checkpoint compaction: a thread whose runs all stopped before a cutoff keeps only its LATEST
// checkpoint per namespace (checkpoint ids are time-ordered uuid6, as the savers' own "latest"
// query assumes), the writes pending on it (what "retry from the failed node" and resume need), and
// on PostgreSQL the blobs that checkpoint's channel_versions still point at. Everything the run
// view and the topology statistics read is in RunEvent, untouched. The runs get `compactedAt`.

const STOPPED = ["succeeded", "failed", "cancelled"];
const placeholders = (from: number, n: number) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(", ");

/**
 * Up to `limit` threads that may be compacted: some run on them is not compacted yet, and EVERY run
 * using the thread (a retry shares its parent's) stopped before `finishedBefore`.
 */
export async function listCompactableThreads(db: Database, finishedBefore: Date, limit: number): Promise<string[]> {
  const rows = await queryRaw(
    db,
    `SELECT "threadId" AS t FROM "Run" WHERE "threadId" IN (
       SELECT "threadId" FROM "Run" WHERE "compactedAt" IS NULL AND "status" IN ($1, $2, $3) AND "finishedAt" < $4 LIMIT $5)
     GROUP BY "threadId"
     HAVING SUM(CASE WHEN "status" IN ($1, $2, $3) AND COALESCE("finishedAt", "createdAt") < $4 THEN 0 ELSE 1 END) = 0`,
    [...STOPPED, finishedBefore, limit],
  );
  return rows.map((r) => String(r.t));
}

/** What one compaction batch removed. */
export interface CompactedCounts {
  threads: number;
  runs: number;
  checkpoints: number;
  writes: number;
  blobs: number;
}

/**
 * Compacts these threads in ONE short transaction (see the file comment), and marks their runs
 * compacted. Threads are re-checked inside it, so a run that started on one meanwhile keeps it whole.
 */
export async function compactThreads(
  db: Database,
  tables: CheckpointTables | null,
  threads: readonly string[],
  finishedBefore: Date,
  now: Date,
): Promise<CompactedCounts> {
  const counts: CompactedCounts = { threads: 0, runs: 0, checkpoints: 0, writes: 0, blobs: 0 };
  if (!threads.length) return counts;
  const sqlite = db.provider === "sqlite";
  const q = (sql: string) => (sqlite ? sql.replace(/\$\d+/g, "?") : sql);
  await db.prisma.$transaction(async (tx) => {
    // Mark first (the write lock / row locks are taken here), only where every run is still old and stopped.
    const n = threads.length;
    const marked = await tx.$queryRawUnsafe<{ threadId: string }[]>(
      q(
        `UPDATE "Run" SET "compactedAt" = $1 WHERE "threadId" IN (${placeholders(2, n)}) AND "threadId" NOT IN (
           SELECT "threadId" FROM "Run" WHERE "threadId" IN (${placeholders(n + 2, n)})
           AND NOT ("status" IN ('succeeded', 'failed', 'cancelled') AND COALESCE("finishedAt", "createdAt") < $${2 * n + 2}))
         RETURNING "threadId"`,
      ),
      now,
      ...threads,
      ...threads,
      finishedBefore,
    );
    counts.runs = marked.length;
    const ok = [...new Set(marked.map((m) => m.threadId))];
    counts.threads = ok.length;
    if (!tables || !ok.length) return;
    const inList = `thread_id IN (${placeholders(1, ok.length)})`;
    counts.checkpoints = await tx.$executeRawUnsafe(
      q(
        `DELETE FROM ${tables.checkpoints} AS c WHERE c.${inList} AND c.checkpoint_id <> (
           SELECT MAX(k.checkpoint_id) FROM ${tables.checkpoints} k WHERE k.thread_id = c.thread_id AND k.checkpoint_ns = c.checkpoint_ns)`,
      ),
      ...ok,
    );
    counts.writes = await tx.$executeRawUnsafe(
      q(
        `DELETE FROM ${tables.writes} AS w WHERE w.${inList} AND NOT EXISTS (
           SELECT 1 FROM ${tables.checkpoints} k WHERE k.thread_id = w.thread_id AND k.checkpoint_ns = w.checkpoint_ns AND k.checkpoint_id = w.checkpoint_id)`,
      ),
      ...ok,
    );
    if (tables.blobs) {
      counts.blobs = await tx.$executeRawUnsafe(
        q(
          `DELETE FROM ${tables.blobs} AS b WHERE b.${inList} AND NOT EXISTS (
             SELECT 1 FROM ${tables.checkpoints} k WHERE k.thread_id = b.thread_id AND k.checkpoint_ns = b.checkpoint_ns
             AND (k.checkpoint -> 'channel_versions' ->> b.channel) = b.version)`,
        ),
        ...ok,
      );
    }
  });
  return counts;
}
