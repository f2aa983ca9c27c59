import "server-only";
import path from "node:path";

export type DbProvider = "sqlite" | "postgresql";

export interface DatabaseConfig {
  provider: DbProvider;
  /** postgres(ql)://… for PostgreSQL, `file:<absolute path>` for SQLite. */
  url: string;
  /** SQLite only: the absolute path of the database file. */
  file?: string;
}

/** The SQLite file used when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "file:./data/aura.db";

/**
 * Reads the database from a URL (default: DATABASE_URL, else ./data/aura.db):
 * postgres:// or postgresql:// → PostgreSQL; `file:path`, or a bare path → SQLite (relative paths
 * from the working directory). Throws on any other scheme.
 */
export function resolveDatabaseConfig(url: string | undefined = process.env.DATABASE_URL): DatabaseConfig {
  const raw = url?.trim() || DEFAULT_DATABASE_URL;
  if (/^postgres(ql)?:\/\//i.test(raw)) return { provider: "postgresql", url: raw };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !/^file:/i.test(raw)) {
    throw new Error(`DATABASE_URL must be file:<path> (SQLite) or postgres(ql)://… (PostgreSQL), got "${raw.replace(/\/\/[^@/]*@/, "//***@")}".`);
  }
  const file = path.resolve(raw.replace(/^file:(\/\/)?/i, "").replace(/\?.*$/, ""));
  return { provider: "sqlite", url: `file:${file}`, file };
}
