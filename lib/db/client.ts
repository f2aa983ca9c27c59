import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { resolveDatabaseConfig, type DatabaseConfig, type DbProvider } from "./config";
import { preparedStatementsEnabled, statementNamer } from "./pg-prepared";
import { serializedSqlite } from "./sqlite-serialized";

/**
 * The Prisma client type repositories use. Both providers are generated from one model source
 * (prisma/models.prisma), so their model APIs are the same; the SQLite one names the type.
 */
export type DbClient = InstanceType<typeof SqliteClient>;
export type { DbProvider } from "./config";

/** An open database: which provider, the Prisma client, and how to close it. */
export interface Database {
  provider: DbProvider;
  /** The URL it was opened with (SQLite: file:<absolute path>). */
  url: string;
  prisma: DbClient;
  close(): Promise<void>;
}

/**
 * node-postgres waits forever for a connection by default: with the database out of reach (a host
 * that drops packets, a pool whose connections all hang) every request would hang. A connection
 * attempt gives up after 5 s instead (the request answers 503 DB_UNAVAILABLE, see client-errors.ts);
 * idle connections close after 30 s, so a pool does not keep sockets a restarted server has killed.
 */
const PG_POOL_TIMEOUTS = { connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 } as const;

/**
 * Opens a database with the driver adapter its URL asks for (see resolveDatabaseConfig): better-sqlite3
 * for SQLite (the file's directory is created, WAL journal), pg for PostgreSQL. Does not migrate; see
 * migrateDatabase, or getDatabase which does both.
 */
export async function openDatabase(config: DatabaseConfig = resolveDatabaseConfig()): Promise<Database> {
  if (config.provider === "sqlite") {
    const file = config.file ?? config.url.replace(/^file:/, "");
    mkdirSync(path.dirname(file), { recursive: true });
    // Plain statements wait while a transaction is open on the one connection (sqlite-serialized.ts).
    const prisma = new SqliteClient({ adapter: serializedSqlite(new PrismaBetterSqlite3({ url: file, timeout: 10_000 })) });
    // WAL lets readers and the one writer work at the same time; the setting is stored in the file.
    await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    return { provider: "sqlite", url: config.url, prisma, close: () => prisma.$disconnect() };
  }
  const prisma = new PostgresClient({
    adapter: new PrismaPg(
      { connectionString: config.url, ...PG_POOL_TIMEOUTS },
      preparedStatementsEnabled() ? { statementNameGenerator: statementNamer() } : undefined,
    ),
    // Prisma gives a transaction 2 s to get its connection by default, less than a query waits for one
    // (connectionTimeoutMillis): under a burst (200 runs started at once) claims failed while plain
    // queries went through. A transaction waits as long as a query does.
    transactionOptions: { maxWait: PG_POOL_TIMEOUTS.connectionTimeoutMillis },
  }) as unknown as DbClient;
  return { provider: "postgresql", url: config.url, prisma, close: () => prisma.$disconnect() };
}

/** Runs a trivial query; throws when the database cannot be reached. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.prisma.$queryRawUnsafe("SELECT 1");
}
