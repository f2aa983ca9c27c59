// The child process that applies migrations at app start (lib/db/migrate.ts forks it).
//
// Why a process of its own: Prisma's wasm schema engine keeps ~22 MB resident (compiled wasm code and
// its linear memory) in whatever process instantiated it, for that process's whole life, and a worker
// thread gives back only ~7 MB of it when it ends. A child process gives back all of it when it exits.
// Plain JavaScript so plain `node` runs it from the source tree (dev, tests); the production build
// bundles it as dist/migrate-child.js. It must not import "server-only".
//
// Protocol (IPC): the parent sends { url, migrationsDir, provider } once; the child answers
// { applied: string[] } or { error: { message, code? } } and exits.
import { applyMigrations } from "./schema-engine.mjs";

process.once("message", async (job) => {
  let answer;
  try {
    answer = { applied: await applyMigrations(job) };
  } catch (error) {
    answer = { error: { message: error instanceof Error ? error.message : String(error), code: error?.code } };
  }
  process.send(answer, () => process.exit(0));
});
