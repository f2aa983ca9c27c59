import "server-only";
import { processSlot } from "@/lib/process-singleton";
import { openDatabase, type Database } from "./client";
import { resolveDatabaseConfig, type DatabaseConfig } from "./config";
import { ensurePostgresDatabase, migrateDatabase } from "./migrate";
import { ensureDefaultWorkspace } from "./workspaces";

// One database per process, shared through globalThis so the custom server's bundle and Next's route
// bundles (and dev hot reloads) use the same client and pool.
const current = processSlot<Promise<Database>>("database");

/**
 * Makes the database of `config` ready and opens it: creates a missing PostgreSQL database, applies
 * pending committed migrations (before opening, see migrateDatabase), creates the default workspace.
 * Idempotent and fast when there is nothing to do.
 */
export async function openPreparedDatabase(config: DatabaseConfig): Promise<{ db: Database; applied: string[]; ms: number }> {
  if (config.provider === "postgresql") await ensurePostgresDatabase(config.url);
  const { applied, ms } = await migrateDatabase(config);
  const db = await openDatabase(config);
  try {
    await ensureDefaultWorkspace(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return { db, applied, ms };
}

async function openFromEnv(): Promise<Database> {
  const { db, applied, ms } = await openPreparedDatabase(resolveDatabaseConfig());
  if (applied.length) console.log(JSON.stringify({ level: "info", msg: "database migrated", provider: db.provider, applied, ms }));
  return db;
}

/** The app's database (from DATABASE_URL), opened and prepared on first use. */
export function getDatabase(): Promise<Database> {
  const open = current.get();
  if (open) return open;
  const opening = openFromEnv();
  current.set(opening);
  // A failed start is not cached: the next call tries again.
  opening.catch(() => {
    if (current.get() === opening) current.set(undefined);
  });
  return opening;
}

/** Replaces the app's database (tests: a prepared temporary database; null: back to DATABASE_URL). */
export function setDatabase(db: Database | null): void {
  current.set(db ? Promise.resolve(db) : undefined);
}

/** Migrate-on-start: opens DATABASE_URL's database, applies pending migrations, creates the default workspace. */
export async function prepareDatabase(): Promise<Database> {
  return getDatabase();
}
