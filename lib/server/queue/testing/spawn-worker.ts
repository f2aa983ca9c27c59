import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Redis } from "ioredis";

/** A worker process (worker.ts under tsx) started by a test or bench. */
export interface WorkerChild {
  proc: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  /** Everything it printed so far. */
  log: () => string;
}

const root = path.join(import.meta.dirname, "..", "..", "..", "..");

/**
 * Starts worker.ts with these variables (on top of the caller's) and resolves once it says it is ready.
 * `execArgv`: extra Node options (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept).
 */
export function spawnWorker(env: Record<string, string>, execArgv: string[] = []): Promise<WorkerChild> {
  const proc = spawn(process.execPath, [...execArgv, "--conditions=react-server", "--import", "tsx", "worker.ts"], {
    cwd: root,
    env: { ...process.env, AURA_ROLE: "worker", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout.on("data", (d) => (out += d));
  proc.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!out.includes("Aura worker ready")) return;
      clearInterval(timer);
      resolve({ proc, pid: proc.pid!, exited, log: () => out });
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`worker exited ${code}: ${out}`));
    });
  });
}

/** True when Redis answers at `url` (tests skip, loudly, without it). */
export async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on("error", () => {});
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Deletes every Redis key under a prefix (a test's or bench's queue). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url);
  r.on("error", () => {});
  try {
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
  } finally {
    r.disconnect();
  }
}
