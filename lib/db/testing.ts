import "server-only";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database, DbProvider } from "./client";
import { resolveDatabaseConfig } from "./config";
import { openPreparedDatabase } from "./database";
import { pgAdmin, pgUrlWithDatabase } from "./schema-engine.mjs";

// Helpers for tests that need a real database: a temporary SQLite file, or a fresh PostgreSQL
// database created on the server of TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
// and dropped afterwards. Both are migrated with the committed migrations, like the app at start.

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

let pgReachable: Promise<boolean> | undefined;

/**
 * True if the test PostgreSQL server answers. When it does not, tests skip PostgreSQL and say so
 * loudly, unless AURA_REQUIRE_POSTGRES=1 (then this throws, so a CI without PostgreSQL fails).
 */
export function postgresAvailable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch (error) {
      const message = `PostgreSQL is NOT reachable at ${TEST_POSTGRES_URL.replace(/\/\/[^@/]*@/, "//***@")} (${(error as Error).message}): PostgreSQL tests are SKIPPED.`;
      if (process.env.AURA_REQUIRE_POSTGRES === "1") throw new Error(message, { cause: error });
      console.warn(`\n*** ${message} ***\n`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgReachable;
}

export interface TestDatabase {
  db: Database;
  /** Closes the database and deletes it (the SQLite file, or the PostgreSQL database). */
  drop(): Promise<void>;
}

/** A new, migrated database for one test file. */
export async function createTestDatabase(provider: DbProvider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "aura-test-"));
    const { db } = await openPreparedDatabase(resolveDatabaseConfig(`file:${path.join(dir, "test.db")}`));
    return {
      db,
      drop: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `aura_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await pgAdmin(TEST_POSTGRES_URL, `CREATE DATABASE "${name}"`);
  const url = pgUrlWithDatabase(TEST_POSTGRES_URL, name);
  const dropDb = () => pgAdmin(TEST_POSTGRES_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  let db: Database;
  try {
    ({ db } = await openPreparedDatabase(resolveDatabaseConfig(url)));
  } catch (error) {
    await dropDb();
    throw error;
  }
  return {
    db,
    drop: async () => {
      await db.close().catch(() => {});
      await dropDb();
    },
  };
}

/** The providers to test: SQLite always, PostgreSQL when reachable. */
export async function testProviders(): Promise<DbProvider[]> {
  return (await postgresAvailable()) ? ["sqlite", "postgresql"] : ["sqlite"];
}
