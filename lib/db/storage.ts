import "server-only";
import { statSync } from "node:fs";
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

const num = (v: unknown) => (typeof v === "bigint" ? Number(v) : Number(v ?? 0));

/** Tables with their indexes, largest first (PostgreSQL: the app's schema and `pgSchema`, the checkpoints'). */
export async function tableSizes(db: Database, pgSchema: string): Promise<TableSize[]> {
  if (db.provider === "sqlite") {
    const rows = await queryRaw(
      db,
      `SELECT COALESCE(m.tbl_name, s.name) AS t, SUM(s.pgsize) AS b FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name
       GROUP BY COALESCE(m.tbl_name, s.name) ORDER BY b DESC`,
      [],
    );
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
    const file = db.url.replace(/^file:/, "");
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

/** SQLite: returns up to `pages` free pages to the file system; answers how many free pages remain. */
export async function incrementalVacuum(db: Database, pages: number): Promise<number> {
  if (db.provider !== "sqlite") return 0;
  await queryRaw(db, `PRAGMA incremental_vacuum(${Math.max(1, Math.floor(pages))})`, []);
  return num((await queryRaw(db, `PRAGMA freelist_count`, []))[0]?.freelist_count);
}

/** SQLite: folds the WAL back into the file and truncates it (after a prune, so the freed pages show). */
export async function checkpointWal(db: Database): Promise<void> {
  if (db.provider === "sqlite") await queryRaw(db, `PRAGMA wal_checkpoint(TRUNCATE)`, []);
}

/** How many runs there are (all statuses). */
export function countRuns(db: Database): Promise<number> {
  return db.prisma.run.count();
}
