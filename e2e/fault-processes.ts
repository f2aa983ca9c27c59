import { spawn, type ChildProcess } from "node:child_process";

/**
 * Real Aura processes for the fault specs (e2e/infra-faults.spec.ts, e2e/worker-kill.spec.ts): production
 * servers (`node dist/server.js`) and queue-mode workers (`node dist/worker.js`, what `npm run worker`
 * starts), each with its own log kept for the test's attachments, started until ready and killed with a
 * chosen signal. Also the delay-chain workflow both specs run and the PostgreSQL database they recreate.
 */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a synchronous check every 100 ms; throws naming `what` when it stays false for `ms`. */
export async function waitFor(check: () => boolean, what: string, ms = 20_000) {
  for (const until = Date.now() + ms; !check();) {
    if (Date.now() > until) throw new Error(`${what} did not come back in ${ms} ms`);
    await sleep(100);
  }
}

/** One started process: its child, its pid and the tail of what it printed. */
export interface AuraProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  log(): string;
  /** Forgets the log so far (a summary per test reads only what came after). */
  clearLog(): void;
}

/** Keeps the last 20,000 characters a child printed on stdout and stderr. */
function keepLog(child: ChildProcess) {
  let log = "";
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-20_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { log: () => log, clearLog: () => void (log = "") };
}

/**
 * Starts `node dist/server.js` on `port` with `env` on top of this process's, and resolves once
 * /api/health answers 200 (the server has migrated its database and listens).
 */
export async function startServer(name: string, port: number, env: Record<string, string>): Promise<AuraProcess> {
  const child = spawn(process.execPath, ["dist/server.js"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: AuraProcess = { name, child, pid: child.pid!, ...keepLog(child) };
  for (const until = Date.now() + 60_000; ;) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${p.log()}`);
    if ((await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status === 200) return p;
    if (Date.now() > until) {
      await stopProcess(p); // nobody else holds it: it must not outlive the test
      throw new Error(`${name} did not start in 60 s: ${p.log()}`);
    }
    await sleep(150);
  }
}

/** Starts `node dist/worker.js` (AURA_ROLE=worker) with `env`, and resolves once it logs "Aura worker ready". */
export async function startWorker(name: string, env: Record<string, string>): Promise<AuraProcess> {
  const child = spawn(process.execPath, ["dist/worker.js"], {
    env: { ...process.env, NODE_ENV: "production", AURA_ROLE: "worker", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: AuraProcess = { name, child, pid: child.pid!, ...keepLog(child) };
  for (const until = Date.now() + 60_000; !p.log().includes("Aura worker ready");) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${p.log()}`);
    if (Date.now() > until) {
      await stopProcess(p); // nobody else holds it: it must not outlive the test
      throw new Error(`${name} did not say "Aura worker ready" in 60 s: ${p.log()}`);
    }
    await sleep(100);
  }
  return p;
}

/** Sends `signal` and resolves once the process has exited (at once when it already had). */
export function stopProcess(p: AuraProcess | undefined, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.child.once("exit", () => resolve());
    p.child.kill(signal);
  });
}

/** Drops and creates a PostgreSQL database through the admin connection `adminUrl`; returns its URL. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

/** Drops a database made by recreateDatabase (after the processes on it are gone). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Deletes every Redis key under `prefix:` (a spec's own run queue), with SCAN, never FLUSHALL. */
export async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  r.on("error", () => {});
  try {
    await r.connect();
    for (let cursor = "0"; ;) {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      if (keys.length) await r.del(...keys);
      if ((cursor = next) === "0") break;
    }
  } finally {
    r.disconnect();
  }
}

/** start → n Delay nodes of `ms` (ids d1…dn) → output "ok": a run of about n × ms that checkpoints after every node. */
export function delayChain(name: string, n: number, ms: number, maxConcurrentRuns = 20) {
  const nodes: { id: string; kind: string; label: string; position: { x: number; y: number }; config: Record<string, unknown> }[] = [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
  ];
  const edges: { id: string; source: string; target: string }[] = [];
  let prev = "start";
  for (let i = 1; i <= n; i++) {
    nodes.push({ id: `d${i}`, kind: "delay", label: `Wait ${i}`, position: { x: 200 * i, y: 0 }, config: { ms } });
    edges.push({ id: `e${i}`, source: prev, target: `d${i}` });
    prev = `d${i}`;
  }
  nodes.push({ id: "out", kind: "output", label: "Done", position: { x: 200 * (n + 1), y: 0 }, config: { value: "ok" } });
  edges.push({ id: "eout", source: prev, target: "out" });
  return { schemaVersion: 1, name, nodes, edges, settings: { maxConcurrentRuns } };
}
