#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, for machines that cannot download it.
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here; the Prisma CLI then spawns this script
// and speaks the same JSON-RPC over stdin/stdout as with the native engine. Each request is forwarded
// to @prisma/schema-engine-wasm running over a driver adapter chosen from the datasource URL
// (better-sqlite3 for file:, pg for postgres(ql)://). See lib/db/schema-engine.mjs.
//
// Invocations used by the CLI:
//   prisma-wasm-engine.mjs --version
//   prisma-wasm-engine.mjs [--datamodels <file>]... [--datasource <json>] [--enabled-preview-features a,b]
//   prisma-wasm-engine.mjs --datasource <json> cli can-connect-to-database|create-database|drop-database
import { readFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import {
  assertPrismaVersions,
  checkPrismaVersions,
  createSchemaEngine,
  describeEngineError,
  pgAdmin,
  pgDatabaseName,
  providerFromUrl,
  sqliteFilePath,
} from "../lib/db/schema-engine.mjs";

// ---- arguments -----------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const datamodelFiles = [];
let datasource = {};
let cliCommand = null;
let wantVersion = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--version" || a === "-V") wantVersion = true;
  else if (a === "--datamodels" || a === "-d") datamodelFiles.push(argv[++i]);
  else if (a === "--datasource") datasource = JSON.parse(argv[++i] ?? "{}");
  else if (a === "--enabled-preview-features" || a === "--extension-types") i++;
  else if (a === "cli") cliCommand = argv[++i] ?? "";
}

/** A log line on stderr in the native engine's format (the CLI parses these as JSON). */
function logLine(level, message, extra = {}) {
  return JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...extra }, target: "schema_engine::logger" });
}

if (wantVersion) {
  const { engineHash } = checkPrismaVersions();
  process.stdout.write(`schema-engine-cli ${engineHash ?? "unknown"} (wasm, via scripts/prisma-wasm-engine.mjs)\n`);
  process.exit(0);
}

try {
  assertPrismaVersions();
} catch (error) {
  process.stderr.write(`${logLine("INFO", "starting the wasm schema engine")}\n${logLine("ERROR", error.message)}\n`);
  console.error(error.message);
  process.exit(1);
}

const url = datasource.url ?? "";

if (cliCommand !== null) {
  await runCliCommand(cliCommand).then(
    () => process.exit(0),
    (error) => {
      // The CLI skips the first stderr line and reads the rest as JSON log lines.
      process.stderr.write(`${logLine("INFO", `cli ${cliCommand}`)}\n${logLine("ERROR", error.message, { error_code: error.code ?? "" })}`);
      process.exit(1);
    },
  );
} else {
  await serveJsonRpc();
}

// ---- `cli` sub-commands --------------------------------------------------------------------------
function userError(code, message) {
  return Object.assign(new Error(message), { code });
}

async function runCliCommand(command) {
  const provider = providerFromUrl(url);
  if (provider === "sqlite") {
    const file = sqliteFilePath(url);
    const name = path.basename(file);
    if (command === "can-connect-to-database") {
      if (file !== ":memory:" && !existsSync(file)) throw userError("P1003", `Database \`${name}\` does not exist at \`${file}\``);
      return;
    }
    if (command === "create-database") {
      mkdirSync(path.dirname(file), { recursive: true });
      const { default: Database } = await import("better-sqlite3");
      new Database(file).close();
      return;
    }
    if (command === "drop-database") {
      rmSync(file, { force: true });
      return;
    }
  } else if (provider === "postgresql") {
    const database = pgDatabaseName(url);
    if (command === "can-connect-to-database") {
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        await client.query("SELECT 1");
      } catch (error) {
        throw pgUserError(error, url, database);
      } finally {
        await client.end().catch(() => {});
      }
      return;
    }
    if (command === "create-database") {
      await pgAdmin(url, `CREATE DATABASE "${database.replaceAll('"', '""')}"`).catch((error) => {
        throw pgUserError(error, url, database);
      });
      return;
    }
    if (command === "drop-database") {
      await pgAdmin(url, `DROP DATABASE IF EXISTS "${database.replaceAll('"', '""')}" WITH (FORCE)`).catch((error) => {
        throw pgUserError(error, url, database);
      });
      return;
    }
  } else {
    throw userError("P1013", "The provided database string is invalid: expected file:… or postgres(ql)://…");
  }
  throw new Error(`Unknown cli command: ${command}`);
}

function pgUserError(error, connectionUrl, database) {
  const u = new URL(connectionUrl);
  const where = `${u.hostname}:${u.port || 5432}`;
  if (error?.code === "3D000") return userError("P1003", `Database \`${database}\` does not exist on the database server at \`${where}\`.`);
  if (error?.code === "28P01" || error?.code === "28000") return userError("P1000", `Authentication failed against database server at \`${where}\`.`);
  if (error?.code === "42P04") return userError("P1009", `Database \`${database}\` already exists on the database server at \`${where}\``);
  if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT"].includes(error?.code)) {
    return userError("P1001", `Can't reach database server at \`${where}\``);
  }
  return userError("", String(error?.message ?? error));
}

// ---- JSON-RPC ------------------------------------------------------------------------------------
async function serveJsonRpc() {
  const datamodels = datamodelFiles.map((f) => [f, readFileSync(path.resolve(f), "utf8")]);
  // Without a URL (e.g. `migrate diff --from-empty --to-schema`), take the provider from the schema.
  let provider = providerFromUrl(url);
  if (!provider) {
    const m = datamodels.map(([, c]) => /provider\s*=\s*"(sqlite|postgresql|postgres)"/.exec(c)).find(Boolean);
    provider = m ? (m[1] === "sqlite" ? "sqlite" : "postgresql") : "sqlite";
  }
  // One engine for the whole CLI command, like the native one: it caches the schema computed from
  // the migrations folder between calls (see warmMigrationCache).
  let enginePromise = null;
  const getEngine = () =>
    (enginePromise ??= createSchemaEngine({
      url: url || undefined,
      shadowDatabaseUrl: datasource.shadowDatabaseUrl,
      provider,
      datamodels,
      log: (line) => process.stderr.write(`${line}\n`),
    }));

  /**
   * In the wasm engine only devDiagnostic / diagnoseMigrationHistory are given the adapter factory
   * (and so a shadow database); evaluateDataLoss and createMigration read the schema of the
   * migrations folder from a cache those fill, and fail with "shadow DB must be provided through an
   * external factory" when it is empty (e.g. `migrate dev` right after applying pending migrations).
   * Computing it first through diagnoseMigrationHistory fills the cache for this migrations list.
   */
  const warmMigrationCache = async (engine, params) => {
    if (!params?.migrationsList?.migrationDirectories?.length) return;
    await engine
      .diagnoseMigrationHistory({
        migrationsList: params.migrationsList,
        optInToShadowDatabase: true,
        filters: params.filters ?? { externalTables: [], externalEnums: [] },
      })
      .catch(() => {});
  };

  const write = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  let nextOwnId = 1_000_000;
  const pendingReplies = new Map();
  /** Asks the CLI to print text (how the native engine returns `migrate diff` output). */
  const print = (content) =>
    new Promise((resolve) => {
      const id = nextOwnId++;
      pendingReplies.set(id, resolve);
      write({ jsonrpc: "2.0", id, method: "print", params: { content } });
    });

  const handlers = {
    getDatabaseVersion: (e, params) => e.version(params ?? undefined),
    reset: (e, params, ctx) => ctx.reset(params),
    evaluateDataLoss: async (e, params) => {
      await warmMigrationCache(e, params);
      return e.evaluateDataLoss(params);
    },
    createMigration: async (e, params) => {
      await warmMigrationCache(e, params);
      return e.createMigration(params);
    },
    createDatabase: async () => {
      throw userError("", "createDatabase is not supported by the wasm schema engine; use `prisma migrate dev`, which creates the database.");
    },
    diff: async (e, params) => {
      const { stdout, ...rest } = await e.diff(params);
      if (stdout) await print(stdout.replace(/\n$/, ""));
      return { exitCode: 0, ...rest };
    },
  };

  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      write({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (msg.method === undefined) {
      // A reply to one of our own requests (print).
      pendingReplies.get(msg.id)?.(msg.result);
      pendingReplies.delete(msg.id);
      return;
    }
    // One request at a time: the wasm engine is a single instance.
    queue = queue.then(() => handle(msg));
  });
  rl.on("close", () => {
    queue.then(async () => {
      if (enginePromise) await enginePromise.then((e) => e.close()).catch(() => {});
      process.exit(0);
    });
  });

  async function handle(msg) {
    let registry;
    try {
      const e = await getEngine();
      registry = e.errorRegistry;
      const custom = handlers[msg.method];
      let result;
      if (custom) result = await custom(e.engine, msg.params, e);
      else if (typeof e.engine[msg.method] === "function") result = await e.engine[msg.method](msg.params ?? undefined);
      else {
        write({ jsonrpc: "2.0", id: msg.id, error: { code: -32601, message: `Method not found: ${msg.method}` } });
        return;
      }
      write({ jsonrpc: "2.0", id: msg.id, result: result ?? null });
    } catch (error) {
      const d = describeEngineError(error, registry);
      const data = d.isPanic
        ? { is_panic: true, message: d.message, error: { message: d.message } }
        : { is_panic: false, message: d.message, ...(d.code ? { error_code: d.code } : {}), ...(d.meta ? { meta: d.meta } : {}) };
      process.stderr.write(`${logLine("ERROR", d.message, d.code ? { error_code: d.code } : {})}\n`);
      write({ jsonrpc: "2.0", id: msg.id, error: { code: 4466, message: "An error happened. Check the data field for details.", data } });
    }
  }
}
