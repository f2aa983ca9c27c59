import "server-only";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { auraRole } from "../queue/config";
import type { FromWorker, ToWorker } from "./protocol";

/**
 * Pool size: AURA_WORKERS, else one thread per core, less the core the main thread needs when this
 * process also serves the UI and API (role "all"): HTTP, Next, persisting and publishing events all run
 * there, and a run worker competing with it for that core buys little but costs its own V8 isolate,
 * engine module graph, SQLite connection and sandbox threads (~60 MB resident each). On 2 cores that
 * is one worker. A queue-mode worker process (role "worker") serves nothing and gets every core.
 */
export function poolSize(env: NodeJS.ProcessEnv = process.env, cores = os.availableParallelism()): number {
  const wanted = Number(env.AURA_WORKERS);
  if (Number.isInteger(wanted) && wanted > 0) return wanted;
  return Math.max(1, auraRole(env) === "worker" ? cores : cores - 1);
}

/**
 * Sandbox threads per run worker (the JavaScript transform's QuickJS threads, lib/engine/sandbox):
 * AURA_SANDBOX_WORKERS, else enough for the pool to hold about one per core in all (each is an isolate
 * plus a WebAssembly heap, ~30 MB resident while it lives). Handed to each worker in its environment.
 */
export function sandboxThreadsPerWorker(env: NodeJS.ProcessEnv = process.env, workers = poolSize(env), cores = os.availableParallelism()): number {
  const wanted = Number(env.AURA_SANDBOX_WORKERS);
  if (Number.isInteger(wanted) && wanted > 0) return wanted;
  return Math.max(1, Math.floor(cores / Math.max(1, workers)));
}

/**
 * How to start a run worker:
 * - AURA_RUN_WORKER=<file>: that file (a .js bundle, or a .ts file loaded through tsx);
 * - dist/run-worker.js beside the running bundle (production: `node dist/server.js`);
 * - lib/server/runs/run-worker.ts through tsx (dev, tests, benches), from the working directory.
 * Paths are computed at run time so Next's bundler leaves them alone.
 */
export function resolveWorkerEntry(): { file: string; typescript: boolean } {
  const explicit = process.env.AURA_RUN_WORKER;
  if (explicit) return { file: path.resolve(explicit), typescript: explicit.endsWith(".ts") };
  const argvDir = process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : "";
  for (const dir of [argvDir, path.join(process.cwd(), "dist")]) {
    const bundled = dir && path.join(dir, "run-worker.js");
    if (bundled && existsSync(bundled) && (process.env.NODE_ENV === "production" || dir === argvDir)) return { file: bundled, typescript: false };
  }
  return { file: path.join(process.cwd(), "lib", "server", "runs", "run-worker.ts"), typescript: true };
}

/**
 * Each worker's V8 old-generation limit in MB (AURA_WORKER_HEAP_MB, default 384). Without one a worker
 * heap may grow toward the machine's default limit before V8 bothers to collect, so RSS climbs under
 * load by luck rather than by design. A worker that hits it dies; its runs fail with WORKER_CRASHED
 * (resumable from their last checkpoint) and the pool replaces it.
 */
export function workerHeapLimitMb(env: NodeJS.ProcessEnv = process.env): number {
  const wanted = Number(env.AURA_WORKER_HEAP_MB);
  return Number.isInteger(wanted) && wanted >= 64 ? wanted : 384;
}

/**
 * Each worker's V8 young generation in MB (AURA_WORKER_YOUNG_MB, default 12). A run allocates many
 * short-lived objects (LangGraph configs, channel copies, serialized checkpoints); V8 lets the young
 * generation grow to ~48 MB per isolate under that load, memory that stays resident. A small one is
 * scavenged more often (cheap: almost everything in it is dead) and keeps each worker's RSS down.
 */
export function workerYoungGenerationMb(env: NodeJS.ProcessEnv = process.env): number {
  const wanted = Number(env.AURA_WORKER_YOUNG_MB);
  return Number.isInteger(wanted) && wanted >= 4 ? wanted : 12;
}

function spawnWorker(entry: { file: string; typescript: boolean }, sandboxThreads: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: workerHeapLimitMb(), maxYoungGenerationSizeMb: workerYoungGenerationMb() };
  // The sandbox pool reads its size from the environment (lib/engine knows nothing of run workers).
  const env = { ...process.env, AURA_SANDBOX_WORKERS: String(sandboxThreads) };
  if (!entry.typescript) return new Worker(entry.file, { resourceLimits, env });
  // Node 20 ignores --import in a worker's execArgv, so register tsx's loader from a tiny bootstrap.
  const req = createRequire(path.join(process.cwd(), "package.json"));
  const tsxApi = pathToFileURL(req.resolve("tsx/package.json").replace(/package\.json$/, "dist/esm/api/index.mjs")).href;
  const code = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(entry.file).href)}); })`;
  return new Worker(code, { eval: true, resourceLimits, env });
}

export interface PoolWorker {
  index: number;
  /** Runs currently assigned. */
  load: number;
  post(message: ToWorker): void;
}

/**
 * A fixed set of worker threads. Each worker executes many runs concurrently (they are async); a run
 * goes to the least-loaded worker. A worker that dies is replaced; `onExit` reports it so the
 * manager can settle the runs it had.
 */
export class WorkerPool {
  private readonly workers: (PoolWorker & { worker: Worker; ready: Promise<void> })[] = [];
  private readonly entry = resolveWorkerEntry();
  private readonly sandboxThreads: number;
  private closing = false;

  constructor(
    readonly size: number,
    private readonly onMessage: (worker: PoolWorker, message: FromWorker) => void,
    private readonly onExit: (worker: PoolWorker, error: unknown) => void,
  ) {
    this.sandboxThreads = sandboxThreadsPerWorker(process.env, size);
    for (let i = 0; i < size; i++) this.start(i);
  }

  private start(index: number) {
    const worker = spawnWorker(this.entry, this.sandboxThreads);
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    const pw = { index, load: 0, worker, ready, post: (m: ToWorker) => worker.postMessage(m) };
    this.workers[index] = pw;
    worker.on("message", (m: FromWorker) => {
      if (m.type === "ready") markReady();
      this.onMessage(pw, m);
    });
    let lastError: unknown;
    worker.on("error", (err) => (lastError = err));
    worker.on("exit", (code) => {
      if (this.closing) return;
      markReady();
      this.onExit(pw, lastError ?? new Error(`run worker exited with code ${code}`));
      this.start(index);
    });
  }

  /** Resolves when every worker has loaded the engine. */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ready));
  }

  /** The least-loaded worker (the caller increments/decrements `load`). */
  pick(): PoolWorker {
    return this.workers.reduce((best, w) => (w.load < best.load ? w : best));
  }

  /** Asks every worker to close its checkpointers, then terminates them. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.workers.map(async (w) => {
        const closed = new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2000);
          w.worker.on("message", (m: FromWorker) => m.type === "closed" && (clearTimeout(timer), resolve()));
          w.worker.once("exit", () => (clearTimeout(timer), resolve()));
        });
        w.post({ type: "shutdown" });
        await closed;
        await w.worker.terminate();
      }),
    );
  }
}
