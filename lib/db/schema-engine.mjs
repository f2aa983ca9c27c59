// Prisma's WebAssembly schema engine (@prisma/schema-engine-wasm) over a driver adapter.
//
// Shared by two callers, so it is plain JavaScript with a .d.mts beside it:
// - scripts/prisma-wasm-engine.mjs, the stand-in for Prisma's native `schema-engine` binary that the
//   Prisma CLI runs (the native binary is downloaded at every CLI command, which fails offline);
// - lib/db/migrate.ts, which applies committed migrations when the app starts.
// It must not import "server-only" (the CLI script runs it in plain Node).
//
// Adapter bugs worked around here (prisma 7.10.0), see shared/notes/offline-stack.md:
// - adapter-pg cannot read PostgreSQL's internal `"char"` type (OID 18), which the engine's
//   introspection queries return (pg_class.relkind, ...): such columns are read as text.
// - adapter-pg's executeScript splits the script on ";" (breaks `$$` bodies, not atomic): the whole
//   script is sent as one simple query, which PostgreSQL runs as one implicit transaction.
// - adapter-pg's connectToShadowDb with a connection string points the "shadow" at the MAIN
//   database: shadow databases are created and dropped here (or shadowDatabaseUrl is used).
// - on SQLite the engine replays a whole migration through executeRaw, which better-sqlite3 refuses
//   ("more than one statement"): such calls go to executeScript.
// - on SQLite the wasm engine treats a missing `_prisma_migrations` table as an error when it reads the
//   migration history (the native engine treats it as "not initialized"), so `migrate dev` and
//   `migrate status` fail on a new database: the table is created (with the engine's own DDL) the
//   first time the engine reads it.
// - on SQLite the wasm engine's `reset` only deletes rows (tables stay), so `migrate reset` then fails
//   with "table already exists": resetSqliteDatabase drops every table, view and trigger instead.
// - adapter-better-sqlite3 reports SQLITE_BUSY as kind "SocketTimeout", which the engine cannot
//   decode ("unknown variant"): it is passed on as a plain SQLite error that says what happened.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Packages that must all carry the same version as the `prisma` CLI. */
const LOCKSTEP_PACKAGES = ["@prisma/client", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "@prisma/driver-adapter-utils"];

const here = path.dirname(fileURLToPath(import.meta.url));

/** Finds `node_modules/<name>/package.json` from the current directory or from this file's directory upwards. */
function readPackageJson(name) {
  for (const start of [process.cwd(), here]) {
    let dir = start;
    for (;;) {
      const file = path.join(dir, "node_modules", name, "package.json");
      if (existsSync(file)) return { file, json: JSON.parse(readFileSync(file, "utf8")) };
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

/**
 * Checks that prisma, @prisma/client, the adapters and @prisma/schema-engine-wasm match exactly: the
 * wasm engine must be built from the same engine commit as the CLI, or migrations and the client may
 * disagree. Returns the list of problems (empty when everything matches).
 */
export function checkPrismaVersions() {
  const problems = [];
  const prisma = readPackageJson("prisma");
  const wasm = readPackageJson("@prisma/schema-engine-wasm");
  const enginesVersion = readPackageJson("@prisma/engines-version");
  if (!prisma) return { problems: ["the `prisma` package is not installed"], prismaVersion: null, engineHash: null };
  if (!wasm) return { problems: ["@prisma/schema-engine-wasm is not installed"], prismaVersion: prisma.json.version, engineHash: null };
  const prismaVersion = prisma.json.version;
  const engineHash = enginesVersion?.json?.prisma?.enginesVersion ?? null;
  for (const name of LOCKSTEP_PACKAGES) {
    const pkg = readPackageJson(name);
    if (!pkg) problems.push(`${name} is not installed`);
    else if (pkg.json.version !== prismaVersion) problems.push(`${name} is ${pkg.json.version} but prisma is ${prismaVersion}`);
  }
  const m = /^(\d+\.\d+\.\d+)-\d+\.([0-9a-f]{40})$/.exec(wasm.json.version);
  if (!m) problems.push(`unexpected @prisma/schema-engine-wasm version ${wasm.json.version}`);
  else {
    if (m[1] !== prismaVersion) problems.push(`@prisma/schema-engine-wasm is ${wasm.json.version}, built for prisma ${m[1]}, but prisma is ${prismaVersion}`);
    if (engineHash && m[2] !== engineHash)
      problems.push(`@prisma/schema-engine-wasm is built from engine ${m[2]} but prisma ${prismaVersion} uses engine ${engineHash}`);
  }
  return { problems, prismaVersion, engineHash: engineHash ?? m?.[2] ?? null };
}

/** Throws a readable error unless the installed Prisma packages match exactly (see checkPrismaVersions). */
export function assertPrismaVersions() {
  const { problems, engineHash } = checkPrismaVersions();
  if (problems.length) {
    throw new Error(
      `Prisma packages do not match, refusing to run the wasm schema engine:\n- ${problems.join("\n- ")}\n` +
        "Install prisma, @prisma/client, @prisma/adapter-* and @prisma/driver-adapter-utils at one exact version, and " +
        "@prisma/schema-engine-wasm at `<that version>-<n>.<engine hash of that prisma>`.",
    );
  }
  return engineHash;
}

/** "sqlite" for file: URLs (or bare paths), "postgresql" for postgres:// and postgresql://, else null. */
export function providerFromUrl(url) {
  if (typeof url !== "string" || url === "") return null;
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (/^file:/i.test(url) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return "sqlite";
  return null;
}

/** The file path of a SQLite URL (`file:./x.db`, `file:/abs/x.db`, `./x.db`), absolute from `cwd`. */
export function sqliteFilePath(url, cwd = process.cwd()) {
  const raw = url.replace(/^file:(\/\/)?/i, "").replace(/\?.*$/, "");
  if (raw === ":memory:") return raw;
  return path.resolve(cwd, raw);
}

/** The URL of another database on the same PostgreSQL server. */
export function pgUrlWithDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The database name of a PostgreSQL URL. */
export function pgDatabaseName(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

function quoteIdent(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

// ---- adapter fixes ---------------------------------------------------------------------------

function patchPgQueryable(q) {
  const performIO = q.performIO.bind(q);
  q.performIO = async (query) => {
    const result = await performIO(query);
    // OID 18 is PostgreSQL's one-byte internal `"char"`; pg already returns it as a string.
    for (const field of result?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  };
  return q;
}

function patchPgAdapter(adapter) {
  patchPgQueryable(adapter);
  adapter.executeScript = async (script) => {
    try {
      await adapter.client.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => patchPgQueryable(await startTransaction(...args));
  return adapter;
}

function isMultiStatementError(error) {
  return error instanceof RangeError && /more than one statement/.test(error.message);
}

/** The engine's own DDL for the SQLite migrations table (sql-schema-connector, create_migrations_table). */
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

function isMissingMigrationsTable(error, sql) {
  const cause = error?.cause;
  return cause?.kind === "TableDoesNotExist" && /_prisma_migrations/.test(String(cause.table)) && /from\s+[`"]?_prisma_migrations/i.test(sql);
}

/** SQLITE_BUSY as an error the engine understands (see the note at the top). */
function busyToSqliteError(error) {
  if (error?.name === "DriverAdapterError" && error.cause?.kind === "SocketTimeout") {
    const message = "database is locked (SQLITE_BUSY): another connection holds the SQLite database; stop the app or other tools using it and retry";
    return Object.assign(new Error(message), { name: "DriverAdapterError", cause: { kind: "sqlite", extendedCode: 5, message } });
  }
  return error;
}

function rethrowBusy(q, method) {
  const fn = q[method].bind(q);
  q[method] = async (...args) => {
    try {
      return await fn(...args);
    } catch (error) {
      throw busyToSqliteError(error);
    }
  };
}

function patchSqliteQueryable(q, runScript) {
  for (const method of ["queryRaw", "executeRaw"]) rethrowBusy(q, method);
  if (typeof q.executeScript === "function") rethrowBusy(q, "executeScript");
  const queryRaw = q.queryRaw.bind(q);
  q.queryRaw = async (query) => {
    try {
      return await queryRaw(query);
    } catch (error) {
      if (!isMissingMigrationsTable(error, query.sql)) throw error;
      await runScript(SQLITE_MIGRATIONS_TABLE);
      return queryRaw(query);
    }
  };
  const executeRaw = q.executeRaw.bind(q);
  q.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length === 0 && isMultiStatementError(error)) {
        await runScript(query.sql);
        return 0;
      }
      throw error;
    }
  };
  return q;
}

function patchSqliteAdapter(adapter) {
  const runScript = (sql) => adapter.executeScript(sql);
  patchSqliteQueryable(adapter, runScript);
  const startTransaction = adapter.startTransaction.bind(adapter);
  // Inside a transaction the script runs on the same connection, so it stays inside it.
  adapter.startTransaction = async (...args) => patchSqliteQueryable(await startTransaction(...args), runScript);
  return adapter;
}

/**
 * A migration-aware driver adapter factory for the wasm engine, chosen from the URL, with the fixes
 * above, bound with bindMigrationAwareSqlAdapterFactory (the raw factory fails inside the engine).
 * `close()` drops shadow databases this factory created and that the engine did not dispose.
 */
export async function createMigrationAdapterFactory({ url, shadowDatabaseUrl, provider: forced }) {
  const provider = forced ?? providerFromUrl(url);
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const cleanups = new Set();
  /** The engine's connection to the main SQLite database (the engine may hold an exclusive lock on it). */
  let mainSqlite = null;
  /** Every adapter handed to the engine: `free()` does not dispose them, close() does. */
  const opened = new Set();
  const track = (adapter) => {
    opened.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    let disposed = false;
    adapter.dispose = async () => {
      if (disposed) return;
      disposed = true;
      opened.delete(adapter);
      await dispose();
    };
    return adapter;
  };

  let raw;
  if (provider === "sqlite") {
    const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
    const file = url ? sqliteFilePath(url) : ":memory:";
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    const shadowFile = shadowDatabaseUrl ? sqliteFilePath(shadowDatabaseUrl) : ":memory:";
    const inner = new PrismaBetterSqlite3({ url: file }, { shadowDatabaseUrl: shadowFile });
    raw = {
      provider: "sqlite",
      adapterName: inner.adapterName,
      connect: async () => (mainSqlite = track(patchSqliteAdapter(await inner.connect()))),
      connectToShadowDb: async () => track(patchSqliteAdapter(await inner.connectToShadowDb())),
    };
  } else if (provider === "postgresql") {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    if (!url) throw new Error("A PostgreSQL URL is required.");
    const connectTo = async (connectionString) => track(patchPgAdapter(await new PrismaPg({ connectionString }).connect()));
    raw = {
      provider: "postgres",
      adapterName: "@prisma/adapter-pg",
      connect: () => connectTo(url),
      connectToShadowDb: async () => {
        if (shadowDatabaseUrl) return connectTo(shadowDatabaseUrl);
        const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`;
        await pgAdmin(url, `CREATE DATABASE ${quoteIdent(name)}`);
        const drop = async () => {
          cleanups.delete(drop);
          await pgAdmin(url, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(() => {});
        };
        cleanups.add(drop);
        const adapter = await connectTo(pgUrlWithDatabase(url, name));
        const dispose = adapter.dispose.bind(adapter);
        adapter.dispose = async () => {
          await dispose();
          await drop();
        };
        return adapter;
      },
    };
  } else {
    throw new Error(`Unsupported database URL (expected file:… for SQLite or postgres(ql)://… for PostgreSQL).`);
  }
  const factory = bindMigrationAwareSqlAdapterFactory(raw);
  return {
    provider,
    factory,
    /** SQLite only: drops every table, view and trigger, on the engine's own connection when it has one. */
    resetSqlite: async () => {
      const adapter = mainSqlite ?? (await raw.connect());
      resetSqliteDatabase(adapter.client);
    },
    close: async () => {
      for (const adapter of [...opened]) await adapter.dispose().catch(() => {});
      for (const cleanup of [...cleanups]) await cleanup();
    },
  };
}

/** Drops every table, view and trigger of a better-sqlite3 database (what the native engine's reset achieves). */
export function resetSqliteDatabase(db) {
  const objects = db.prepare("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite_%'").raw().all();
  const order = { view: 0, trigger: 1, table: 2 };
  objects.sort((a, b) => order[a[0]] - order[b[0]]);
  db.exec("PRAGMA foreign_keys = OFF");
  try {
    for (const [type, name] of objects) db.exec(`DROP ${String(type).toUpperCase()} IF EXISTS ${quoteIdent(name)}`);
  } finally {
    db.exec("PRAGMA foreign_keys = ON");
  }
}

/**
 * Runs one statement on the server's maintenance database (`postgres`), for CREATE/DROP DATABASE.
 * Falls back to `template1` when `postgres` does not exist.
 */
export async function pgAdmin(url, sql) {
  const { default: pg } = await import("pg");
  let lastError;
  for (const db of ["postgres", "template1"]) {
    const client = new pg.Client({ connectionString: pgUrlWithDatabase(url, db) });
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      if (error?.code === "3D000") continue;
      throw error;
    }
    try {
      return await client.query(sql);
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw lastError;
}

// ---- the engine ------------------------------------------------------------------------------

let runtimePromise;

/** Loads and instantiates the wasm module once per process (wasm-bindgen keeps global state). */
async function loadRuntime() {
  runtimePromise ??= (async () => {
    const runtime = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const pkg = readPackageJson("@prisma/schema-engine-wasm");
    const wasmFile = path.join(path.dirname(pkg.file), "schema_engine_bg.wasm");
    const module = new WebAssembly.Module(await readFile(wasmFile));
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": runtime });
    // The engine reports Rust panics through this global before it throws.
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: "",
      set_message(m) {
        this.message = `RuntimeError: ${m}`;
      },
      get() {
        return this.message;
      },
    };
    runtime.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return runtime;
  })();
  return runtimePromise;
}

/** The engine commit the wasm module was built from. */
export async function wasmEngineVersion() {
  return (await loadRuntime()).version();
}

/**
 * Creates a wasm schema engine for a database URL. `datamodels` are `[path, content]` pairs of the
 * Prisma schema files (or undefined). Call `close()` when done.
 */
export async function createSchemaEngine({ url, shadowDatabaseUrl, provider, datamodels, log = () => {} }) {
  const hash = assertPrismaVersions();
  const runtime = await loadRuntime();
  const built = runtime.version();
  if (hash && built !== hash) throw new Error(`The wasm schema engine was built from ${built}, but prisma uses engine ${hash}.`);
  const adapter = await createMigrationAdapterFactory({ url, shadowDatabaseUrl, provider });
  const engine = await runtime.SchemaEngine.new({ datamodels: datamodels?.length ? datamodels : undefined }, log, adapter.factory);
  return {
    engine,
    provider: adapter.provider,
    errorRegistry: adapter.factory.errorRegistry,
    /** `reset` as the native engine does it (the wasm engine's own reset keeps SQLite tables). */
    reset: (input) => (adapter.provider === "sqlite" ? adapter.resetSqlite() : engine.reset(input)),
    close: async () => {
      try {
        engine.free();
      } finally {
        await adapter.close();
      }
    },
  };
}

/** Reads a migrations folder the way the Prisma CLI does (lockfile, sorted directories with migration.sql). */
export async function readMigrationsList(dir, shadowDbInitScript = "") {
  const baseDir = path.resolve(dir);
  const lockContent = await readFile(path.join(baseDir, "migration_lock.toml"), "utf8").catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const content = await readFile(path.join(baseDir, entry.name, "migration.sql"), "utf8").then(
      (value) => ({ tag: "ok", value }),
      (error) => ({ tag: "error", value: String(error?.message ?? error) }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: "migration.sql", content } });
  }
  return { baseDir, lockfile: { path: "migration_lock.toml", content: lockContent }, migrationDirectories, shadowDbInitScript };
}

/** Turns an error thrown by the wasm engine into `{ message, code?, isPanic, meta? }`. */
export function describeEngineError(error, errorRegistry) {
  const panic = globalThis.PRISMA_WASM_PANIC_REGISTRY?.get?.();
  if (error instanceof WebAssembly.RuntimeError || (error?.name === "RuntimeError" && panic)) {
    return { message: panic || String(error?.message ?? error), isPanic: true };
  }
  if (error && typeof error === "object" && typeof error.code === "string") {
    return { message: String(error.message ?? error.code), code: error.code, meta: error.meta, isPanic: false };
  }
  // Errors thrown by JS inside the adapter are kept in the registry and referred to by id.
  const id = /"id":\s*(\d+)|\bid:\s*(\d+)/.exec(String(error?.message ?? ""));
  if (id && errorRegistry?.consumeError) {
    const original = errorRegistry.consumeError(Number(id[1] ?? id[2]))?.error;
    if (original) return { message: String(original.message ?? original), isPanic: false };
  }
  return { message: String(error?.message ?? error), isPanic: false };
}

/**
 * Applies the committed migrations of `migrationsDir` to the database at `url` (what
 * `prisma migrate deploy` does) and returns the names of the migrations it applied.
 */
export async function applyMigrations({ url, migrationsDir, provider }) {
  const { engine, errorRegistry, close } = await createSchemaEngine({ url, provider });
  try {
    const migrationsList = await readMigrationsList(migrationsDir);
    const out = await engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } });
    return out.appliedMigrationNames;
  } catch (error) {
    const d = describeEngineError(error, errorRegistry);
    throw Object.assign(new Error(`Applying migrations failed${d.code ? ` (${d.code})` : ""}: ${d.message}`), { code: d.code });
  } finally {
    await close();
  }
}
