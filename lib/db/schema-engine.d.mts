// Types of schema-engine.mjs (plain JavaScript because the Prisma CLI stand-in runs it in plain Node).

export type DbProviderName = "sqlite" | "postgresql";

export function checkPrismaVersions(): { problems: string[]; prismaVersion: string | null; engineHash: string | null };
export function assertPrismaVersions(): string | null;
export function providerFromUrl(url: string | undefined | null): DbProviderName | null;
export function sqliteFilePath(url: string, cwd?: string): string;
export function pgUrlWithDatabase(url: string, database: string): string;
export function pgDatabaseName(url: string): string;
export function pgAdmin(url: string, sql: string): Promise<unknown>;
export function resetSqliteDatabase(db: unknown): void;
export function wasmEngineVersion(): Promise<string>;
export function readMigrationsList(dir: string, shadowDbInitScript?: string): Promise<unknown>;
export function describeEngineError(error: unknown, errorRegistry?: unknown): { message: string; code?: string; meta?: unknown; isPanic: boolean };

/** Applies the committed migrations of `migrationsDir` to the database at `url`; returns the names it applied. */
export function applyMigrations(input: { url: string; migrationsDir: string; provider?: DbProviderName }): Promise<string[]>;
