import "server-only";
import { fork } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { applyMigrations, pgAdmin, pgDatabaseName } from "./schema-engine.mjs";
import type { DatabaseConfig, DbProvider } from "./config";

/** Where the committed migrations of a provider are (prisma/<provider>/migrations under the app's directory). */
export function migrationsDir(provider: DbProvider, root: string = process.env.AURA_APP_ROOT ?? process.cwd()): string {
  return path.join(root, "prisma", provider, "migrations");
}

/** Names of the committed migrations (folders with a migration.sql), in order. */
export function committedMigrations(provider: DbProvider): string[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) throw new Error(`No migrations folder at ${dir}: start the app from its root directory (or set AURA_APP_ROOT).`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
}

const APPLIED_SQL = "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL";

/** Names of the migrations recorded as applied in `_prisma_migrations` (empty if there is no such table or file). */
async function appliedMigrations(config: DatabaseConfig): Promise<Set<string>> {
  if (config.provider === "sqlite") {
    const file = config.file ?? config.url.replace(/^file:/, "");
    if (!existsSync(file)) return new Set();
    const { default: SQLite } = await import("better-sqlite3");
    const conn = new SQLite(file, { readonly: true, timeout: 10_000 });
    try {
      return new Set((conn.prepare(APPLIED_SQL).all() as { migration_name: string }[]).map((r) => r.migration_name));
    } catch {
      return new Set();
    } finally {
      conn.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    return new Set((await client.query<{ migration_name: string }>(APPLIED_SQL)).rows.map((r) => r.migration_name));
  } catch {
    return new Set();
  } finally {
    await client.end().catch(() => {});
  }
}

export interface MigrateResult {
  /** Migrations applied now (empty when the database was up to date). */
  applied: string[];
  ms: number;
}

/**
 * Where the migration child is: dist/migrate-child.js beside the running bundle (production,
 * `node dist/server.js`), else lib/db/migrate-child.mjs of the app (dev, tests, benches run the source).
 * Null when neither exists. Paths are computed at run time so Next's bundler leaves them alone.
 */
export function migrateChildEntry(argv1: string | undefined = process.argv[1], root: string = process.env.AURA_APP_ROOT ?? process.cwd()): string | null {
  const candidates = [argv1 ? path.join(path.dirname(path.resolve(argv1)), "migrate-child.js") : "", path.join(root, "lib", "db", "migrate-child.mjs")];
  return candidates.find((file) => file && existsSync(file)) ?? null;
}

/**
 * Applies migrations in a child process (lib/db/migrate-child.mjs), so the wasm schema engine's ~22 MB
 * leave with it instead of staying in the server for its whole life. In this process when there is
 * no child entry to run (a bundle without it).
 */
async function applyMigrationsApart(input: { url: string; migrationsDir: string; provider: DbProvider }): Promise<string[]> {
  const entry = migrateChildEntry();
  if (!entry) return applyMigrations(input);
  // No execArgv: the server's --inspect or --cpu-prof are not the child's. The URL goes over IPC, not argv (ps shows argv).
  // turbopackIgnore: Next's bundler would otherwise try to bundle the forked file (a path known only at run time).
  const child = fork(/* turbopackIgnore: true */ entry, [], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const answer = await new Promise<{ applied?: string[]; error?: { message: string; code?: string } }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { applied?: string[]; error?: { message: string; code?: string } }));
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`The migration process (${entry}) ended (${signal ?? `exit code ${code}`}) without an answer.`)));
    child.send(input);
  });
  if (answer.error) throw Object.assign(new Error(answer.error.message), answer.error.code ? { code: answer.error.code } : {});
  return answer.applied ?? [];
}

/**
 * Applies the committed migrations that the database lacks (what `prisma migrate deploy` does), with
 * Prisma's wasm schema engine in a child process, writing the standard `_prisma_migrations` rows.
 * Idempotent; when every committed migration is already recorded it only reads that table (a few ms).
 * Safe with several processes starting at once (the engine locks the database while it migrates).
 * SQLite: call it before opening the app's connection (the engine takes an exclusive lock).
 */
export async function migrateDatabase(config: DatabaseConfig): Promise<MigrateResult> {
  const started = Date.now();
  const committed = committedMigrations(config.provider);
  const done = await appliedMigrations(config);
  if (committed.every((m) => done.has(m))) return { applied: [], ms: Date.now() - started };
  const applied = await applyMigrationsApart({ url: config.url, migrationsDir: migrationsDir(config.provider), provider: config.provider });
  return { applied, ms: Date.now() - started };
}

/** PostgreSQL: creates the database of `url` if the server does not have it yet (needs CREATEDB). */
export async function ensurePostgresDatabase(url: string): Promise<boolean> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error;
  } finally {
    await client.end().catch(() => {});
  }
  await pgAdmin(url, `CREATE DATABASE "${pgDatabaseName(url).replaceAll('"', '""')}"`);
  return true;
}
