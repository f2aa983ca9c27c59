import "server-only";

/**
 * Names for Prisma's PostgreSQL statements, so node-postgres prepares each one once per connection
 * (PostgreSQL then skips parsing and planning it again) instead of sending every query unnamed. The
 * hot statements of a run (insert, claim, settle, events) are few distinct texts repeated per run.
 *
 * Statement texts that vary without bound (an `IN ($1, …, $n)` per list length, a multi-row insert
 * per row count) would each stay prepared on every connection for its lifetime, so only the first
 * `limit` distinct texts of the process get a name; later ones go unnamed, as before. Turned off
 * with AURA_PG_PREPARED=0 (for a pooler in transaction mode, such as PgBouncer before 1.21, where a
 * named statement may meet a server connection that never prepared it).
 */
export function statementNamer(limit = 500): (query: { sql: string; args: unknown[] }) => string {
  const names = new Map<string, string>();
  return ({ sql, args }) => {
    // Without parameters node-postgres sends the text as a simple query, which may hold several
    // statements (a named one may not): leave those as they are.
    if (!args.length) return undefined as unknown as string;
    let name = names.get(sql);
    if (name === undefined && names.size < limit) names.set(sql, (name = `aura_${names.size.toString(36)}`));
    // node-postgres sends a query without a name unprepared; the adapter's type says string.
    return name as string;
  };
}

/** Whether Prisma's PostgreSQL statements are prepared (AURA_PG_PREPARED, default on). */
export function preparedStatementsEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.AURA_PG_PREPARED !== "0";
}
