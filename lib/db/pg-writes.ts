import "server-only";
import pg from "pg";
import type { Database } from "./client";
import { isDatabaseUnavailable } from "./client-errors";
import { preparedStatementsEnabled, statementNamer } from "./pg-prepared";

/** One write in the repositories' raw SQL style ($1, $2…), as sqlite-writes.ts's WriteStatement. */
interface Statement {
  sql: string;
  params: readonly unknown[];
}

/** Connections of the writer's own pool (the run hot path's writes; Prisma keeps its pool for the rest). */
const MAX_CONNECTIONS = 4;

/**
 * A parameter as Prisma's PostgreSQL adapter sends it. Dates: UTC text (the columns are TIMESTAMP
 * without time zone, which ignores the "Z"); node-postgres alone would write the process's local time.
 */
const pgValue = (v: unknown) => (v === undefined ? null : v instanceof Date ? v.toISOString() : v);

/** TIMESTAMP (without time zone, OID 1114) holds UTC here (see pgValue); node-postgres alone would read it as local time. */
const TIMESTAMP_OID = 1114;
const readUtc = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID && format !== "binary"
      ? readUtc
      : (pg.types.getTypeParser(oid, format) as (text: string) => unknown)) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * The run hot path's writes on PostgreSQL (run start, claim, settle, run events, audit entries),
 * through node-postgres directly instead of Prisma: a raw statement through Prisma costs the main
 * thread its client engine's work at every call, and a batch transaction there is BEGIN, each
 * statement, COMMIT as separate round trips, with the JavaScript in between. Here the connections
 * pipeline (pg's `pipeline` mode): BEGIN, the statements and COMMIT are written at once and answered
 * in one round trip, so a claim holds its per-workflow advisory lock for that round trip only. Each
 * statement is named (prepared once per connection, see pg-prepared.ts). Errors are node-postgres's
 * (SQLSTATE in `code`).
 */
class PostgresWriter {
  private readonly pool: pg.Pool;
  private readonly name = preparedStatementsEnabled() ? statementNamer() : () => undefined;

  constructor(url: string) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: MAX_CONNECTIONS,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      pipeline: true,
      types: typeParsers,
    });
    // An idle connection cut by a database restart emits "error" on the pool; unheard, it would end the
    // process. The pool drops that client and the next write opens a new one.
    this.pool.on("error", () => {});
  }

  /** Runs the statements in one transaction (one alone: as it is, atomic by itself); resolves to each one's result. */
  async run(statements: readonly Statement[]): Promise<pg.QueryResult[]> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const send = (s: Statement) => {
        const values = s.params.map(pgValue);
        const name = this.name({ sql: s.sql, args: values });
        return client.query(name ? { name, text: s.sql, values } : { text: s.sql, values });
      };
      // Written in this order in one go (nothing else can slip in between on this connection). A failed
      // statement aborts the transaction: the ones after it fail too and COMMIT rolls back. Every answer
      // is awaited, so the connection goes back to the pool with no transaction open.
      const sent = statements.length === 1 ? [send(statements[0])] : [client.query("BEGIN"), ...statements.map(send), client.query("COMMIT")];
      const settled = await Promise.allSettled(sent);
      const failure = settled.find((r) => r.status === "rejected");
      if (failure) {
        if (isDatabaseUnavailable(failure.reason)) broken = failure.reason as Error;
        throw failure.reason;
      }
      const results = settled.map((r) => (r as PromiseFulfilledResult<pg.QueryResult>).value);
      return statements.length === 1 ? results : results.slice(1, -1);
    } finally {
      // A connection that lost its server is dropped; one that refused a statement is fine to reuse.
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

const writers = new WeakMap<Database, PostgresWriter>();

function writerOf(db: Database): PostgresWriter {
  let w = writers.get(db);
  if (!w) {
    const writer = new PostgresWriter(db.url);
    writers.set(db, (w = writer));
    // The pool goes with its database.
    const close = db.close.bind(db);
    db.close = async () => {
      writers.delete(db);
      await writer.close().catch(() => {});
      await close();
    };
  }
  return w;
}

/** Runs writes on PostgreSQL in one transaction (all or nothing), pipelined; resolves to each statement's changed-row count. */
export async function writeAtomicallyOnPostgres(db: Database, statements: readonly Statement[]): Promise<number[]> {
  return (await writerOf(db).run(statements)).map((r) => r.rowCount ?? 0);
}

/**
 * Runs statements on PostgreSQL in one transaction (all or nothing), pipelined, and resolves to the
 * rows each one returned: a read-modify statement of the hot path (the queue's claim) without Prisma's
 * per-call work and BEGIN / COMMIT round trips. Rows come as node-postgres parses them (timestamps as
 * Date, COUNT as text).
 */
export async function queryAtomicallyOnPostgres<Row = Record<string, unknown>>(db: Database, statements: readonly Statement[]): Promise<Row[][]> {
  return (await writerOf(db).run(statements)).map((r) => r.rows as Row[]);
}
