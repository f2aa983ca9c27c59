import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import { delayChain, recreateDatabase, sleep, startServer as startAuraServer, stopProcess, waitFor, type AuraProcess } from "./fault-processes";

/**
 * Infrastructure faults with real processes: two production servers (`node dist/server.js`) share one
 * PostgreSQL database and one Redis (REDIS_URL: live events cross between them). While runs execute:
 * Redis restarts; PostgreSQL stops for 5 s; one web process is killed and started again. Every run
 * still ends "succeeded" exactly once, and Socket.IO clients on BOTH servers (which resubscribe after a
 * reconnect from the last seq they saw) receive every seq of every run exactly once. While PostgreSQL
 * is down the API answers 503 DB_UNAVAILABLE promptly, never a hang or a 500.
 *
 * Redis and PostgreSQL are ALWAYS started again (finally blocks and afterAll), whatever fails.
 */
test.describe.configure({ mode: "serial" });

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const PORTS = [E2E_PORT + 60, E2E_PORT + 61];
const PG_ADMIN = process.env.AURA_FAULTS_PG_ADMIN ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const DB_NAME = `aura_faults_${E2E_PORT}`;
const DATABASE_URL = PG_ADMIN.replace(/\/[^/]*$/, `/${DB_NAME}`);
const REDIS_URL = process.env.AURA_FAULTS_REDIS_URL ?? "redis://127.0.0.1:6379";
const TOKEN = "faults".padEnd(64, "0");
const auth = { authorization: `Bearer ${TOKEN}` };
const PG_VERSION = spawnSync("bash", ["-c", "ls /etc/postgresql 2>/dev/null | head -1"]).stdout.toString().trim();
const dataDir = mkdtempSync(path.join(tmpdir(), "aura-faults-"));

// ── services ────────────────────────────────────────────────────────────────────────────────────────

const sh = (cmd: string) => spawnSync("bash", ["-c", cmd], { encoding: "utf8" });
const redisUp = () => sh("redis-cli -h 127.0.0.1 ping").stdout.trim() === "PONG";
const pgUp = () => sh("pg_isready -h 127.0.0.1 -q").status === 0;
/** Exactly as .ci/run starts it. */
function startRedis() {
  if (!redisUp()) sh(`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`);
}
function startPostgres() {
  if (!pgUp()) sh(`pg_ctlcluster --skip-systemctl-redirect ${PG_VERSION} main start`);
}

// ── servers ─────────────────────────────────────────────────────────────────────────────────────────

/** The running server per port; `logs` keeps the last server of each port (a killed one's log stays readable). */
const servers = new Map<number, AuraProcess>();
const logs = new Map<number, AuraProcess>();

async function startServer(port: number): Promise<void> {
  const server = await startAuraServer(`server-${port}`, port, {
    DATABASE_URL,
    REDIS_URL,
    AURA_DATA_DIR: dataDir,
    AURA_OWNER_EMAIL: "faults@aura.test",
    AURA_OWNER_PASSWORD: "faults-owner-password",
    AURA_BOOTSTRAP_TOKEN: TOKEN,
    // A killed server's runs are taken over within seconds, not the default 30 s.
    AURA_LEASE_MS: "3000",
    AURA_LOG_LEVEL: "warn",
  });
  servers.set(port, server);
  logs.set(port, server);
}

function killServer(port: number, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  const server = servers.get(port);
  servers.delete(port);
  return stopProcess(server, signal);
}

const api = (port: number, p: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${port}${p}`, { ...init, headers: { "content-type": "application/json", ...auth, ...init.headers } });

// ── watchers: raw Socket.IO clients that record every seq they receive ─────────────────────────────

interface Watcher {
  socket: Socket;
  /** Every seq received per run, in arrival order (duplicates kept: the test counts them). */
  seen: Map<string, number[]>;
  reconnects: number;
  watch(runId: string): void;
}

function watcher(port: number): Watcher {
  const socket = io(`http://127.0.0.1:${port}`, {
    path: "/socket.io",
    transports: ["websocket"],
    auth: { token: TOKEN },
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
  });
  const seen = new Map<string, number[]>();
  const w: Watcher = { socket, seen, reconnects: 0, watch };
  const last = (runId: string) => seen.get(runId)?.at(-1) ?? -1;
  function subscribe(runId: string) {
    socket.timeout(5000).emit("run:subscribe", { runId, afterSeq: last(runId) }, (err: Error | null) => {
      if (err && socket.connected) setTimeout(() => subscribe(runId), 300);
    });
  }
  function watch(runId: string) {
    if (!seen.has(runId)) seen.set(runId, []);
    if (socket.connected) subscribe(runId);
  }
  socket.on("run:events", (m: { runId: string; events: { seq: number }[] }) => {
    seen.get(m.runId)?.push(...m.events.map((e) => e.seq));
  });
  let first = true;
  // After a reconnect (server restarted, network gone), resume every run from the last seq seen.
  socket.on("connect", () => {
    if (!first) w.reconnects++;
    first = false;
    for (const runId of seen.keys()) subscribe(runId);
  });
  // A server-side disconnect is not retried by socket.io-client; a watcher should.
  socket.on("disconnect", (reason) => {
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 300);
  });
  return w;
}

// ── workflow and runs ───────────────────────────────────────────────────────────────────────────────

async function createWorkflow(port: number, name: string, n: number, ms: number): Promise<string> {
  const res = await api(port, "/api/workflows", { method: "POST", body: JSON.stringify({ document: delayChain(name, n, ms) }) });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function startRun(port: number, workflowId: string): Promise<string> {
  const res = await api(port, `/api/workflows/${workflowId}/runs`, { method: "POST", body: JSON.stringify({ input: {} }) });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { runId: string }).runId;
}

/** Polls until every run is finished (any status but queued/running/waiting); returns the statuses. */
async function waitForRuns(port: () => number, runIds: string[], ms: number): Promise<Record<string, string>> {
  const statuses: Record<string, string> = {};
  for (const until = Date.now() + ms; ;) {
    for (const id of runIds) {
      const res = await api(port(), `/api/runs/${id}`).catch(() => null);
      if (res?.ok) statuses[id] = ((await res.json()) as { status: string }).status;
    }
    if (runIds.every((id) => statuses[id] && !["queued", "running", "waiting"].includes(statuses[id]))) return statuses;
    if (Date.now() > until) return statuses;
    await sleep(250);
  }
}

/** Every stored event of a run, by seq (the record the watchers are compared with). */
async function storedSeqs(port: number, runId: string): Promise<number[]> {
  const res = await api(port, `/api/runs/${runId}/events?limit=1000`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { events: { seq: number; type: string }[] };
  return body.events.map((e) => e.seq);
}

/** Each run: stored once with seqs 0..n, exactly one run.finished; each watcher got every seq exactly once. */
async function expectComplete(port: number, runIds: string[], watchers: Watcher[]) {
  for (const id of runIds) {
    const stored = await storedSeqs(port, id);
    expect(stored, `run ${id}: stored seqs`).toEqual(stored.map((_, i) => i));
    const finished = ((await (await api(port, `/api/runs/${id}/events?limit=1000`)).json()) as { events: { type: string }[] }).events.filter(
      (e) => e.type === "run.finished",
    );
    expect(finished.length, `run ${id}: run.finished events`).toBe(1);
    for (const [i, w] of watchers.entries()) {
      // Delivery is asynchronous: give the last batch a moment to arrive.
      await expect.poll(() => w.seen.get(id)?.length ?? 0, { message: `watcher ${i}, run ${id}`, timeout: 10_000 }).toBeGreaterThanOrEqual(stored.length);
      expect(w.seen.get(id), `watcher ${i}, run ${id}: every seq once, in order`).toEqual(stored);
    }
  }
}

/** One line per fault in the test output: what the servers logged and what the watchers saw. */
function summary(what: string, extra: Record<string, unknown> = {}) {
  const errors = [...logs.values()]
    .map((p) => p.log())
    .join("")
    .split("\n")
    .filter((l) => /"level":"(error|warn)"/.test(l));
  const kinds = new Map<string, number>();
  for (const l of errors) {
    const msg = /"msg":"([^"]+)"/.exec(l)?.[1] ?? l.slice(0, 80);
    kinds.set(msg, (kinds.get(msg) ?? 0) + 1);
  }
  const workerDied = errors.find((l) => l.includes("run worker died"));
  console.log(`${what}: ${JSON.stringify({ ...extra, reconnects: watchers.map((w) => w.reconnects), serverLog: Object.fromEntries(kinds) })}`);
  if (workerDied) console.log(`  first "run worker died": ${workerDied.slice(0, 600)}`);
  for (const p of logs.values()) p.clearLog();
}

// ── setup ───────────────────────────────────────────────────────────────────────────────────────────

let watchers: Watcher[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  startRedis();
  startPostgres();
  await waitFor(() => redisUp() && pgUp(), "Redis and PostgreSQL");
  await recreateDatabase(PG_ADMIN, DB_NAME);
  // The first server migrates the new database and creates the owner; the second finds both done.
  await startServer(PORTS[0]);
  await startServer(PORTS[1]);
  watchers = PORTS.map(watcher);
  await Promise.all(watchers.map((w) => expect.poll(() => w.socket.connected, { timeout: 10_000 }).toBe(true)));
});

test.afterAll(async () => {
  // Whatever happened: the machine's services run again, the servers are gone.
  startRedis();
  startPostgres();
  for (const w of watchers) w.socket.close();
  await Promise.all([...servers.keys()].map((p) => killServer(p, "SIGTERM")));
  rmSync(dataDir, { recursive: true, force: true });
});

// Playwright's fixtures argument must be a destructuring pattern; this hook needs none.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) for (const [port, p] of logs) await info.attach(`server-${port}.log`, { body: p.log().slice(-8000) });
});

// ── the faults ──────────────────────────────────────────────────────────────────────────────────────

test("Redis restarts while runs execute on two servers: runs finish, both servers' watchers get every event once", async () => {
  test.setTimeout(60_000);
  const wf = await createWorkflow(PORTS[0], "Faults: Redis", 5, 700);
  const short = await createWorkflow(PORTS[0], "Faults: Redis, short", 2, 150);
  const runs = [await startRun(PORTS[0], wf), await startRun(PORTS[1], wf), await startRun(PORTS[0], wf), await startRun(PORTS[1], wf)];
  for (const w of watchers) for (const id of runs) w.watch(id);
  await sleep(1200);
  try {
    sh("redis-cli -h 127.0.0.1 shutdown nosave");
    await waitFor(() => !redisUp(), "Redis shutdown", 5000);
    // Runs that start and finish entirely while Redis is away, watched on both servers.
    for (const port of PORTS) {
      const id = await startRun(port, short);
      runs.push(id);
      for (const w of watchers) w.watch(id);
    }
    await sleep(1500);
  } finally {
    startRedis();
  }
  await waitFor(redisUp, "Redis");
  const statuses = await waitForRuns(() => PORTS[0], runs, 30_000);
  expect(Object.values(statuses)).toEqual(runs.map(() => "succeeded"));
  await expectComplete(PORTS[0], runs, watchers);
  summary("redis restart", { events: runs.map((id) => watchers[0].seen.get(id)?.length) });
});

test("PostgreSQL stops for 5 s: the API answers 503 DB_UNAVAILABLE meanwhile, runs finish after, nothing lost or doubled", async () => {
  test.setTimeout(90_000);
  const wf = await createWorkflow(PORTS[0], "Faults: PostgreSQL", 6, 800);
  const runs = [await startRun(PORTS[0], wf), await startRun(PORTS[1], wf), await startRun(PORTS[1], wf)];
  for (const w of watchers) for (const id of runs) w.watch(id);
  // A browser's session too: a signed-in page must not be sent to sign in because the database blinked.
  const signIn = await fetch(`http://127.0.0.1:${PORTS[1]}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "faults@aura.test", password: "faults-owner-password" }),
  });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  await sleep(1500);
  const during: { status: number; code?: string; ms: number; path: string }[] = [];
  try {
    sh(`pg_ctlcluster --skip-systemctl-redirect ${PG_VERSION} main stop -m fast`);
    await waitFor(() => !pgUp(), "PostgreSQL stop", 10_000);
    const downSince = Date.now();
    // Requests while it is down: each answers quickly with a clear 503 and a code.
    for (const [port, p] of [
      [PORTS[0], "/api/workflows"],
      [PORTS[1], `/api/runs/${runs[0]}`],
      [PORTS[0], "/api/health"],
      [PORTS[1], `/api/workflows/${wf}/runs`],
    ] as const) {
      const t0 = Date.now();
      const res = await api(port, p, p.endsWith("/runs") ? { method: "POST", body: "{}" } : {});
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
      during.push({ status: res.status, code: body.error?.code, ms: Date.now() - t0, path: p });
    }
    {
      const t0 = Date.now();
      const res = await fetch(`http://127.0.0.1:${PORTS[1]}/api/workflows`, { headers: { cookie } });
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
      during.push({ status: res.status, code: body.error?.code, ms: Date.now() - t0, path: "/api/workflows (session cookie)" });
    }
    await sleep(Math.max(0, 5000 - (Date.now() - downSince)));
  } finally {
    startPostgres();
  }
  await waitFor(pgUp, "PostgreSQL");
  for (const d of during) {
    expect(d.status, `${d.path} while PostgreSQL is down`).toBe(503);
    expect(d.code, `${d.path} while PostgreSQL is down`).toBe("DB_UNAVAILABLE");
    expect(d.ms, `${d.path} answered in`).toBeLessThan(6000);
  }
  // Back up: the API answers again, and the runs finish.
  await expect.poll(async () => (await api(PORTS[0], "/api/workflows")).status, { timeout: 15_000 }).toBe(200);
  const statuses = await waitForRuns(() => PORTS[0], runs, 45_000);
  expect(Object.values(statuses)).toEqual(runs.map(() => "succeeded"));
  await expectComplete(PORTS[0], runs, watchers);
  summary("postgres stop", { during, events: runs.map((id) => watchers[0].seen.get(id)?.length) });
});

test("a web process is killed and started again: its runs finish, its watcher reconnects and replays", async () => {
  test.setTimeout(90_000);
  const [a, b] = PORTS;
  const wf = await createWorkflow(b, "Faults: web restart", 5, 700);
  const runs = [await startRun(a, wf), await startRun(a, wf), await startRun(b, wf)];
  for (const w of watchers) for (const id of runs) w.watch(id);
  await sleep(1200);
  const reconnectsBefore = watchers[0].reconnects;
  await killServer(a, "SIGKILL");
  await sleep(500);
  await startServer(a);
  const statuses = await waitForRuns(() => b, runs, 45_000);
  expect(Object.values(statuses)).toEqual(runs.map(() => "succeeded"));
  await expect.poll(() => watchers[0].reconnects, { timeout: 10_000 }).toBeGreaterThan(reconnectsBefore);
  await expectComplete(b, runs, watchers);
  summary("web restart", { events: runs.map((id) => watchers[0].seen.get(id)?.length) });
});
