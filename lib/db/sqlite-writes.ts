import "server-only";
import BetterSqlite3 from "better-sqlite3";
import type { Database } from "./client";
import { writeAtomicallyOnPostgres } from "./pg-writes";

/** One write, in the repositories' raw SQL style: PostgreSQL's numbered parameters ($1, $2…). */
export interface WriteStatement {
  sql: string;
  params: readonly unknown[];
}

/** How long a write waits for the write lock before it fails (as Prisma's SQLite connection does). */
const LOCK_WAIT_MS = 10_000;
/** WAL pages after which a commit of this connection checkpoints (10× SQLite's default, see the constructor). */
const WAL_BACKSTOP_PAGES = 10_000;
/** Prepared statements kept per connection (the run hot path uses a handful of SQL texts). */
const MAX_PREPARED = 200;

/**
 * The write lock stayed taken for the whole wait. Reported as Prisma's SQLite adapter reports a busy
 * timeout (kind "SocketTimeout"), so callers treat it as the database being briefly out of reach: a
 * run's settle and its events are tried again rather than given up (client-errors.ts).
 */
export class WriteLockTimeout extends Error {
  readonly kind = "SocketTimeout";
  constructor(waitedMs: number, cause: unknown) {
    super(`The SQLite database stayed locked by another writer for ${waitedMs} ms; the write was not made.`, { cause });
    this.name = "WriteLockTimeout";
  }
}

const isBusy = (err: unknown) => typeof (err as { code?: unknown })?.code === "string" && (err as { code: string }).code.startsWith("SQLITE_BUSY");

/** A value as Prisma's SQLite adapter stores it (dates as ISO text with "+00:00", booleans as 0/1). */
function sqliteValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

/**
 * The run hot path's writes on SQLite, on a second connection to the app's file that never blocks the
 * event loop. Prisma's connection waits for the write lock inside SQLite's busy handler, sleeping on
 * the main thread (1, 2, 5, 10… ms) while a worker thread commits a checkpoint: every HTTP request
 * and every run stood still meanwhile. Here the connection does not wait (busy timeout 0): a write
 * that meets the lock is tried again on a later turn of the event loop. Its transactions are
 * synchronous (BEGIN IMMEDIATE … COMMIT in one turn), so no other statement of this process can slip
 * into one, as it can into a Prisma transaction on its one shared connection; and its statements are
 * prepared once (Prisma's adapter prepares every statement at every call).
 */
class SqliteWriter {
  private readonly conn: BetterSqlite3.Database;
  private readonly prepared = new Map<string, { statement: BetterSqlite3.Statement; order: number[] }>();

  constructor(file: string) {
    this.conn = new BetterSqlite3(file, { timeout: 0 });
    // The commit that finds the WAL over its limit copies it into the database file and syncs it (tens
    // of ms on a busy disk), on the thread that commits. The worker threads' checkpointers commit at
    // 1,000 pages (SQLite's default) and so do that work off the main thread; this connection does it
    // only as a backstop, when nobody else has (a server writing only through here).
    this.conn.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
  }

  /** Runs the statements in one transaction, all or nothing; resolves to each one's changed-row count. */
  async write(statements: readonly WriteStatement[], lockWaitMs: number): Promise<number[]> {
    const run = this.conn.transaction(() => statements.map((s) => this.run(s)));
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return run.immediate();
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (Date.now() - started >= lockWaitMs) throw new WriteLockTimeout(Date.now() - started, err);
      }
      // Let the event loop go on; the lock holders' commits take well under a millisecond.
      await new Promise((resolve) => (attempt === 0 ? setImmediate(resolve) : setTimeout(resolve, 1)));
    }
  }

  close(): void {
    this.conn.close();
  }

  private run(s: WriteStatement): number {
    let p = this.prepared.get(s.sql);
    if (!p) {
      // "$n" → "?" in order of appearance (the SQLite driver binds anonymous parameters by position).
      const order: number[] = [];
      const text = s.sql.replace(/\$(\d+)/g, (_m, i: string) => {
        order.push(Number(i) - 1);
        return "?";
      });
      if (this.prepared.size >= MAX_PREPARED) this.prepared.clear();
      p = { statement: this.conn.prepare(text), order };
      this.prepared.set(s.sql, p);
    }
    return p.statement.run(p.order.map((i) => sqliteValue(s.params[i]))).changes;
  }
}

const writers = new WeakMap<Database, SqliteWriter>();

function writerOf(db: Database): SqliteWriter {
  let w = writers.get(db);
  if (!w) {
    w = new SqliteWriter(db.url.replace(/^file:/, ""));
    writers.set(db, w);
    // The connection goes with its database.
    const close = db.close.bind(db);
    db.close = async () => {
      writers.get(db)?.close();
      writers.delete(db);
      await close();
    };
  }
  return w;
}

/**
 * Runs writes in one transaction (all or nothing) and resolves to each statement's changed-row count.
 * SQLite: on the non-blocking writer above (`lockWaitMs`, default 10 s: how long it waits for the
 * write lock before it throws WriteLockTimeout). PostgreSQL: node-postgres, pipelined (pg-writes.ts);
 * errors are node-postgres's there (SQLSTATE in `code`, which `isUniqueViolation` knows).
 */
export async function writeAtomically(db: Database, statements: readonly WriteStatement[], options: { lockWaitMs?: number } = {}): Promise<number[]> {
  if (!statements.length) return [];
  if (db.provider === "sqlite") return writerOf(db).write(statements, options.lockWaitMs ?? LOCK_WAIT_MS);
  return writeAtomicallyOnPostgres(db, statements);
}
