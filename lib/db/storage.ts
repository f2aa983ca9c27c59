import "server-only";
import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";
import type { Database } from "./client";
import { queryRaw } from "./raw-sql";

// How much room the database takes, by table, and giving room back after deletes.
// SQLite: the dbstat virtual table (better-sqlite3 is built with it) sums the pages of each table and
// its indexes; space comes back with incremental vacuum, which needs auto_vacuum=INCREMENTAL, a
// setting that only takes effect on a file that is converted once by a full VACUUM.
// PostgreSQL: pg_total_relation_size (table + indexes + TOAST); autovacuum reclaims space on its own.

/** Bytes of one table with its indexes. */
export interface TableSize {
  table: string;
  bytes: number;
}

const sqliteFile = (db: Database) => db.url.replace(/^file:/, "");

const num = (v: unknown) => (typeof v === "bigint" ? Number(v) : Number(v ?? 0));

const SQLITE_TABLE_SIZES = `SELECT COALESCE(m.tbl_name, s.name) AS t, SUM(s.pgsize) AS b FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name
  GROUP BY COALESCE(m.tbl_name, s.name) ORDER BY b DESC`;

/**
 * dbstat reads every page of the file: about 1.5 ms per MB here, so seconds for a few GB. On the
 * server's connection (better-sqlite3 is synchronous) that would stop the event loop for as long, so
 * it runs in a worker thread on a read-only connection of its own (WAL lets it read beside the
 * writers). better-sqlite3 is resolved from the working directory, where the server runs.
 */
const DBSTAT_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("node:module").createRequire(workerData.base + "/")("better-sqlite3");
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  parentPort.postMessage(db.prepare(workerData.sql).all());
} finally {
  db.close();
}`;

function sqliteTableSizesOffThread(file: string): Promise<{ t: unknown; b: unknown }[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(DBSTAT_WORKER, { eval: true, workerData: { base: process.cwd(), file, sql: SQLITE_TABLE_SIZES } });
    let rows: { t: unknown; b: unknown }[] | undefined;
    worker.once("message", (m: { t: unknown; b: unknown }[]) => (rows = m));
    worker.once("error", reject);
    worker.once("exit", (code) => (rows ? resolve(rows) : reject(new Error(`table sizes: the dbstat worker exited with code ${code} and no answer`))));
  });
}

/** Tables with their indexes, largest first (PostgreSQL: the app's schema and `pgSchema`, the checkpoints'). */
export async function tableSizes(db: Database, pgSchema: string): Promise<TableSize[]> {
  if (db.provider === "sqlite") {
    const rows = await sqliteTableSizesOffThread(sqliteFile(db));
    return rows.map((r) => ({ table: String(r.t), bytes: num(r.b) }));
  }
  const rows = await queryRaw(
    db,
    `SELECT CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END AS t, pg_total_relation_size(c.oid) AS b
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname IN (current_schema(), $1) ORDER BY b DESC`,
    [pgSchema],
  );
  return rows.map((r) => ({ table: String(r.t), bytes: num(r.b) }));
}

/** The database's size on disk: SQLite file + its WAL; PostgreSQL pg_database_size. */
export async function databaseBytes(db: Database): Promise<number> {
  if (db.provider === "sqlite") {
    const file = sqliteFile(db);
    const size = (p: string) => {
      try {
        return statSync(p).size;
      } catch {
        return 0;
      }
    };
    return size(file) + size(`${file}-wal`);
  }
  const rows = await queryRaw(db, `SELECT pg_database_size(current_database()) AS b`, []);
  return num(rows[0]?.b);
}

/**
 * SQLite: makes sure the file can give pages back with incremental_vacuum. A file created without it
 * is converted by one full VACUUM (rewrites the file, holds the write lock while it does: seconds per
 * 100 MB), once; later calls see the mode and return at once. PostgreSQL: nothing to do.
 */
export async function ensureIncrementalVacuum(db: Database): Promise<"ready" | "converted" | "not_sqlite"> {
  if (db.provider !== "sqlite") return "not_sqlite";
  const mode = num((await queryRaw(db, `PRAGMA auto_vacuum`, []))[0]?.auto_vacuum);
  if (mode === 2) return "ready";
  await queryRaw(db, `PRAGMA auto_vacuum = INCREMENTAL`, []);
  await queryRaw(db, `VACUUM`, []);
  return "converted";
}

/**
 * SQLite: after the WAL is restarted, the server's own connection cuts the file back to `bytes`
 * (journal_size_limit; without it the WAL keeps the size of its largest burst forever). The setting
 * belongs to the connection, which writes most (events, runs) and so restarts the WAL most often.
 */
export async function limitWalSize(db: Database, bytes: number): Promise<void> {
  if (db.provider === "sqlite") await queryRaw(db, `PRAGMA journal_size_limit = ${Math.max(0, Math.floor(bytes))}`, []);
}

/** SQLite pages: in the file, on the freelist (free for reuse), and their size. */
export interface PageStats {
  pages: number;
  free: number;
  pageSize: number;
}

/** SQLite: the file's page counts (null on PostgreSQL). Pages in use = pages − free. */
export async function pageStats(db: Database): Promise<PageStats | null> {
  if (db.provider !== "sqlite") return null;
  const one = async (pragma: string) => num(Object.values((await queryRaw(db, `PRAGMA ${pragma}`, []))[0] ?? {})[0]);
  return { pages: await one("page_count"), free: await one("freelist_count"), pageSize: await one("page_size") };
}

/**
 * SQLite maintenance (incremental vacuum, WAL checkpoint) runs on a short-lived connection of its own
 * whose busy timeout is `waitMs`: better-sqlite3 waits for locks synchronously, and the shared
 * connection's 10 s timeout would hold the server's event loop that long when the workers are writing.
 * Here a busy database just means "not now" (the next pass tries again).
 */
function maintenanceConnection(db: Database, waitMs: number): BetterSqlite3.Database {
  return new BetterSqlite3(sqliteFile(db), { timeout: waitMs });
}

const isBusy = (err: unknown) =>
  err instanceof Error && /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(`${(err as { code?: string }).code} ${err.message}`);

/** What an incremental vacuum did. */
export interface VacuumResult {
  /** Pages handed back to the file system. */
  released: number;
  /** Free pages left in the file for the next writes to reuse. */
  free: number;
  /** It stopped early because the database stayed locked for longer than the wait. */
  busy: boolean;
}

/**
 * SQLite: hands free pages back to the file system until at most `keepFree` remain, `step` pages per
 * short write transaction with `pause()` between steps. Keeping some free pages is deliberate: pages
 * the next interval's runs will write anyway are cheaper to reuse in place than to release (moving
 * pages from the end of the file) and grow again. PostgreSQL: nothing.
 */
export async function incrementalVacuum(
  db: Database,
  o: { keepFree: number; step: number; waitMs: number; pause: () => Promise<void> },
): Promise<VacuumResult> {
  const out: VacuumResult = { released: 0, free: 0, busy: false };
  if (db.provider !== "sqlite") return out;
  const c = maintenanceConnection(db, o.waitMs);
  try {
    const free = () => Number(c.pragma("freelist_count", { simple: true }));
    for (;;) {
      out.free = free();
      const excess = out.free - Math.max(0, Math.floor(o.keepFree));
      if (excess <= 0) return out;
      const n = Math.min(excess, Math.max(1, Math.floor(o.step)));
      try {
        c.pragma(`incremental_vacuum(${n})`);
      } catch (err) {
        if (!isBusy(err)) throw err;
        out.busy = true;
        return out;
      }
      out.released += out.free - free();
      await o.pause();
    }
  } finally {
    c.close();
  }
}

/** What a WAL checkpoint did: `busy` when readers or a writer kept it from finishing (the WAL then stays as it was). */
export interface WalCheckpointResult {
  busy: boolean;
  /** WAL frames before, and how many were copied into the database file. */
  frames: number;
  copied: number;
}

/**
 * SQLite: folds the WAL back into the file and truncates it to zero bytes (after a prune, so the freed
 * pages show and a WAL that grew during a burst does not keep its size forever). Waits at most `waitMs`
 * for readers and writers to step aside. PostgreSQL: nothing.
 */
export async function checkpointWal(db: Database, waitMs: number): Promise<WalCheckpointResult> {
  if (db.provider !== "sqlite") return { busy: false, frames: 0, copied: 0 };
  const c = maintenanceConnection(db, waitMs);
  try {
    const row = (c.pragma("wal_checkpoint(TRUNCATE)") as { busy: number; log: number; checkpointed: number }[])[0];
    return { busy: row?.busy === 1, frames: Math.max(0, row?.log ?? 0), copied: Math.max(0, row?.checkpointed ?? 0) };
  } catch (err) {
    if (isBusy(err)) return { busy: true, frames: 0, copied: 0 };
    throw err;
  } finally {
    c.close();
  }
}

/**
 * PostgreSQL: VACUUMs (plain: readers and writers go on; SKIP_LOCKED: never waits for another vacuum)
 * those of the app's run tables and the checkpoint tables in `pgSchema` whose dead rows passed
 * autovacuum's own default threshold (50 + 20% of the live rows, here at least 1,000). Right after a
 * prune the space is then reused by the next writes even where autovacuum is off or behind (a server
 * with `autovacuum = off` otherwise grows without end under retention). Returns the tables vacuumed.
 */
export async function vacuumDeadRows(db: Database, pgSchema: string): Promise<string[]> {
  if (db.provider !== "postgresql") return [];
  const rows = await queryRaw(
    db,
    `SELECT schemaname AS s, relname AS t FROM pg_stat_user_tables
     WHERE ((schemaname = current_schema() AND relname IN ('Run', 'RunEvent', 'AuditEntry'))
        OR (schemaname = $1 AND relname IN ('checkpoints', 'checkpoint_writes', 'checkpoint_blobs')))
       AND n_dead_tup > GREATEST(1000, 50 + 0.2 * n_live_tup)`,
    [pgSchema],
  );
  const done: string[] = [];
  for (const r of rows) {
    const name = `"${String(r.s).replace(/"/g, '""')}"."${String(r.t).replace(/"/g, '""')}"`;
    await db.prisma.$executeRawUnsafe(`VACUUM (SKIP_LOCKED) ${name}`);
    done.push(String(r.t));
  }
  return done;
}

/** How many runs there are (all statuses). */
export function countRuns(db: Database): Promise<number> {
  return db.prisma.run.count();
}
