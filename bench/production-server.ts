/**
 * Starts the production build (`node dist/server.js`, after `npm run build`) on a port with a fresh
 * SQLite file (or `databaseUrl`), for the browser and HTTP benchmarks, and resolves once /api/health
 * answers. `nodeArgs` go to node before the script (e.g. `--cpu-prof`), `env` over the inherited one.
 * The server starts with an owner from AURA_OWNER_EMAIL / AURA_OWNER_PASSWORD and the owner's API
 * token AURA_BOOTSTRAP_TOKEN (BENCH_OWNER): benches sign in the documented way, like any script.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import type { Browser, BrowserContextOptions, Page } from "@playwright/test";

/** The owner every bench server starts with (first start on its fresh database). */
export const BENCH_OWNER = { email: "bench@aura.test", password: "bench-owner-password", token: "aura_bench_bootstrap_token_0123456789abcdef" };
/** Headers that authenticate a bench's HTTP call as the owner. */
export const benchAuth = { authorization: `Bearer ${BENCH_OWNER.token}` };

/** What package.json "start" sets before the process starts (they cannot be set from inside it). */
export const PRODUCTION_ENV = { MALLOC_ARENA_MAX: "2" };
export const PRODUCTION_NODE_ARGS = ["--max-semi-space-size=4"];

export async function startProductionServer(
  port: number,
  name: string,
  options: { databaseUrl?: string; nodeArgs?: string[]; env?: Record<string, string>; cwd?: string } = {},
): Promise<ChildProcess> {
  // `cwd`: the checkout whose build to start (A/B benches compare two); its own data folder holds the file.
  const db = `${options.cwd ?? "."}/data/bench-${name}-${port}.db`;
  if (!options.databaseUrl) for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
  // Launched with the memory settings of `npm start`, so the benches measure the server as it is run.
  const child = spawn("node", [...PRODUCTION_NODE_ARGS, ...(options.nodeArgs ?? []), "dist/server.js"], {
    env: {
      ...PRODUCTION_ENV,
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl ?? `file:${db}`,
      AURA_OWNER_EMAIL: BENCH_OWNER.email,
      AURA_OWNER_PASSWORD: BENCH_OWNER.password,
      AURA_BOOTSTRAP_TOKEN: BENCH_OWNER.token,
      ...options.env,
    },
    stdio: ["ignore", "ignore", "inherit"],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("server did not start (did you run npm run build?)");
}

/** Saves a workflow document through the running server's API; returns its id. */
export async function createWorkflowVia(base: string, document: unknown): Promise<string> {
  const res = await fetch(`${base}/api/workflows`, {
    method: "POST",
    headers: { "content-type": "application/json", ...benchAuth },
    body: JSON.stringify({ document }),
  });
  if (!res.ok) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** A page of a browser context signed in as the bench owner (through the sign-in API, as a person would through the form). */
export async function signedInPage(browser: Browser, base: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const res = await context.request.post(`${base}/api/auth/sign-in`, { data: { email: BENCH_OWNER.email, password: BENCH_OWNER.password } });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
  return context.newPage();
}
