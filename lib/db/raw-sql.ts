import "server-only";
import type { Database } from "./client";

/**
 * Raw SQL written with PostgreSQL's numbered parameters ($1, $2…), for both providers. The SQLite
 * driver binds only anonymous "?" positionally, so there each $n becomes "?" and its value is
 * repeated in order. Used where Prisma has no portable form (date arithmetic, JSON extraction,
 * conditional updates with a subquery).
 */
function positional(db: Database, sql: string, params: readonly unknown[]): [string, unknown[]] {
  if (db.provider !== "sqlite") return [sql, [...params]];
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, i: string) => {
    ordered.push(params[Number(i) - 1]);
    return "?";
  });
  return [text, ordered];
}

/** Rows of a raw query (see positional for the parameter style). */
export function queryRaw(db: Database, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const [text, values] = positional(db, sql, params);
  return db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
}

/** A raw statement, unexecuted until awaited or batched in `db.prisma.$transaction([...])`; resolves to the affected row count. */
export function executeRaw(db: Database, sql: string, params: readonly unknown[]) {
  const [text, values] = positional(db, sql, params);
  return db.prisma.$executeRawUnsafe(text, ...values);
}
