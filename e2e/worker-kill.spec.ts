import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { delayChain, dropDatabase, dropRedisPrefix, recreateDatabase, sleep, startServer, startWorker, stopProcess, type AuraProcess } from "./fault-processes";

/**
 * A worker process SIGKILLed in the middle of runs, watched by a real browser (issue 14). Queue mode with
 * real processes: one web process (AURA_ROLE=web: serves the UI and API, executes nothing) and two
 * workers (`node dist/worker.js`) on PostgreSQL and Redis. Several runs of a chain of Delay nodes are in
 * flight on the worker that executes the run the browser shows; that worker is killed while every one
 * of its runs is inside a Delay. The other worker takes them over from their last checkpoints.
 *
 * What the browser must show at the end: the run succeeded; every node succeeded, once; the timeline
 * has one finished bar per node and nothing left "running"; the event log holds every seq once, with
 * no gap; and the socket delivered each seq exactly once (counted before the page's own dedup).
 * Server side: every run ends succeeded with exactly one terminal event, no node finishes twice.
 */
test.describe.configure({ mode: "serial" });

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
/** Overridable so helpers sharing one machine keep to their own ports, database and Redis keys. */
const WEB_PORT = Number(process.env.AURA_WORKER_KILL_PORT ?? E2E_PORT + 70);
const DB_NAME = process.env.AURA_WORKER_KILL_DB ?? `aura_worker_kill_${E2E_PORT}`;
const PREFIX = process.env.AURA_WORKER_KILL_PREFIX ?? `aura-worker-kill-${E2E_PORT}`;
const PG_ADMIN = process.env.AURA_FAULTS_PG_ADMIN ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = process.env.AURA_FAULTS_REDIS_URL ?? "redis://127.0.0.1:6379";
const WEB = `http://127.0.0.1:${WEB_PORT}`;
const OWNER = { email: "worker-kill@aura.test", password: "worker-kill-owner-password" };
const TOKEN = "workerkill".padEnd(64, "0");

/** The watched workflow: start → 8 Delays → output. A Delay long enough that a kill lands inside one. */
const DELAYS = 8;
const DELAY_MS = 1000;
const RUNS = 5;
const NODE_IDS = ["start", ...Array.from({ length: DELAYS }, (_, i) => `d${i + 1}`), "out"];
const TERMINAL = ["run.finished", "run.failed", "run.cancelled"];

interface StoredEvent {
  seq: number;
  type: string;
  ts: number;
  nodeId?: string;
  resumed?: boolean;
}

const dataDir = mkdtempSync(path.join(tmpdir(), "aura-worker-kill-"));
let databaseUrl = "";
/** One connection to the spec's database for the lease polls (opened on first use). */
let db: import("pg").Client | undefined;
let web: AuraProcess | undefined;
const workers: AuraProcess[] = [];
/** What the web process and the workers share. */
let shared: Record<string, string> = {};

const api = (p: string, init: RequestInit = {}) =>
  fetch(`${WEB}${p}`, { ...init, headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}`, ...init.headers } });

async function storedEvents(runId: string): Promise<StoredEvent[]> {
  const res = await api(`/api/runs/${runId}/events?after=-1&limit=1000`);
  expect(res.status, `events of ${runId}`).toBe(200);
  return ((await res.json()) as { events: StoredEvent[] }).events;
}

/** Each run's lease owner (`host:pid:nonce`) and status, straight from the record of truth. */
async function leases(runIds: string[]): Promise<Map<string, { status: string; owner: string | null }>> {
  if (!db) {
    const { default: pg } = await import("pg");
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  }
  const { rows } = await db.query<{ id: string; status: string; leaseOwner: string | null }>(`SELECT id, status, "leaseOwner" FROM "Run" WHERE id = ANY($1)`, [
    runIds,
  ]);
  return new Map(rows.map((r) => [r.id, { status: r.status, owner: r.leaseOwner }]));
}

const holder = (owner: string | null) => workers.find((w) => owner?.split(":")[1] === String(w.pid));

/** True when the run's last node event is the start of a Delay that began at least 100 ms ago and ends in 300 ms or more. */
function insideADelay(events: StoredEvent[], now: number): boolean {
  const last = events.filter((e) => e.type.startsWith("node.")).at(-1);
  if (last?.type !== "node.started" || !last.nodeId?.startsWith("d")) return false;
  const into = now - last.ts;
  return into >= 100 && into <= DELAY_MS - 300;
}

/** What the run view's test hook (window.__auraRunLog) says the socket delivered, before any dedup. */
const delivered = (page: Page) => page.evaluate(() => (window as unknown as { __auraRunLog?: { delivered: () => number[] } }).__auraRunLog?.delivered() ?? []);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const began = Date.now();
  databaseUrl = await recreateDatabase(PG_ADMIN, DB_NAME);
  await dropRedisPrefix(REDIS_URL, PREFIX);
  shared = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    AURA_QUEUE_PREFIX: PREFIX,
    AURA_DATA_DIR: dataDir,
    // One run thread per worker: three processes and a browser share a 2-core machine.
    AURA_WORKERS: "1",
    // A dead worker on this host is taken over at its next sweep (pid gone); the lease is the fallback.
    AURA_LEASE_MS: "6000",
  };
  // The web process migrates the new database and creates the owner; the workers find both done.
  web = await startServer("web", WEB_PORT, {
    ...shared,
    AURA_ROLE: "web",
    AURA_OWNER_EMAIL: OWNER.email,
    AURA_OWNER_PASSWORD: OWNER.password,
    AURA_BOOTSTRAP_TOKEN: TOKEN,
    AURA_LOG_LEVEL: "warn",
  });
  console.log(`worker kill: database and web process ready in ${((Date.now() - began) / 1000).toFixed(1)} s`);
});

test.afterAll(async () => {
  await db?.end().catch(() => {});
  await Promise.all([...workers, web].map((p) => stopProcess(p, "SIGKILL")));
  await dropRedisPrefix(REDIS_URL, PREFIX).catch(() => {});
  await dropDatabase(PG_ADMIN, DB_NAME).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

// Playwright's fixtures argument must be a destructuring pattern; this hook needs none.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus)
    for (const p of [web, ...workers]) if (p) await info.attach(`${p.name}-${p.pid}.log`, { body: p.log().slice(-8000) });
  // The workers belong to the test (a repeat starts its own, after its runs are queued).
  await Promise.all(workers.splice(0).map((w) => stopProcess(w, "SIGKILL")));
});

test("SIGKILL of the worker executing a watched run: the browser sees it finish once, every node once, every seq once", async ({ browser }) => {
  test.setTimeout(90_000);
  /** Seconds since the test began, per phase (for the summary line: where the time goes on a loaded machine). */
  const t0 = Date.now();
  const phases: Record<string, number> = {};
  const phase = (name: string) => (phases[name] = Math.round((Date.now() - t0) / 100) / 10);
  const created = await api("/api/workflows", { method: "POST", body: JSON.stringify({ document: delayChain("Worker kill", DELAYS, DELAY_MS) }) });
  expect(created.status, await created.clone().text()).toBe(201);
  const workflowId = ((await created.json()) as { id: string }).id;

  // A browser signed in on the web process, with the run view's test hook on.
  const context = await browser.newContext({ baseURL: WEB, storageState: { cookies: [], origins: [] } });
  await context.addInitScript(() => ((window as unknown as { __AURA_TEST_HOOKS__: boolean }).__AURA_TEST_HOOKS__ = true));
  const signIn = await context.request.post("/api/auth/sign-in", { data: OWNER });
  expect(signIn.status(), await signIn.text()).toBe(200);
  const page = await context.newPage();

  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const res = await api(`/api/workflows/${workflowId}/runs`, { method: "POST", body: JSON.stringify({ input: {} }) });
    expect(res.status, await res.clone().text()).toBe(202);
    runIds.push(((await res.json()) as { runId: string }).runId);
  }
  // No worker yet: the runs wait, queued, while the browser opens the run view and goes live, so it
  // watches the run from its first event, whatever the load does to the page's start.
  const watched = runIds[0];
  await page.goto(`/runs/${watched}`);
  await expect(page.getByTestId("run-view")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("run-stream")).toHaveAttribute("data-stream", "live", { timeout: 15_000 });
  await expect(page.getByTestId("run-header")).toHaveAttribute("data-status", "queued");
  // Three runs at most per worker: the five runs spread over both, so the survivor has runs of its own
  // (which must finish untouched) besides the ones it takes over.
  const worker = { ...shared, AURA_WORKER_CONCURRENCY: "3" };
  phase("pageLive");
  workers.push(...(await Promise.all([startWorker("worker-1", worker), startWorker("worker-2", worker)])));
  phase("workersReady");

  // The victim: the worker holding the watched run, once it holds at least two runs, the watched run is
  // past its first Delay (so it has checkpoints to continue from), and each of its runs is inside a
  // Delay (a kill between a node's end and its checkpoint is an engine-level window: see
  // lib/engine/saved-writes.ts; here it must not decide the outcome).
  let victim: AuraProcess | undefined;
  let victimRuns: string[] = [];
  let notYet = "";
  for (const until = Date.now() + 30_000; !victim; await sleep(40)) {
    if (Date.now() > until) throw new Error(`no moment to kill came in 30 s (last: ${notYet}): ${JSON.stringify(Object.fromEntries(await leases(runIds)))}`);
    const rows = await leases(runIds);
    const w = holder(rows.get(watched)?.owner ?? null);
    if (!w || rows.get(watched)?.status !== "running") {
      notYet = `watched run ${rows.get(watched)?.status} on ${rows.get(watched)?.owner}`;
      continue;
    }
    const mine = runIds.filter((id) => rows.get(id)?.status === "running" && holder(rows.get(id)!.owner) === w);
    if (mine.length < 2) {
      notYet = `${mine.length} run on the watched run's worker`;
      continue;
    }
    const events = await Promise.all(mine.map(storedEvents));
    const now = Date.now();
    const watchedEvents = events[mine.indexOf(watched)];
    if (!watchedEvents.some((e) => e.type === "node.finished" && e.nodeId === "d1")) {
      notYet = "watched run before d1's end";
      continue;
    }
    if (!events.every((ev) => insideADelay(ev, now))) {
      notYet = "a run not inside a Delay";
      continue;
    }
    victim = w;
    victimRuns = mine;
  }
  const seenBeforeKill = (await delivered(page)).length;
  await stopProcess(victim, "SIGKILL");
  const killedAt = Date.now();
  phase("killed");

  // ── in the browser ──────────────────────────────────────────────────────────────────────────────
  await expect(page.getByTestId("run-header")).toHaveAttribute("data-status", "succeeded", { timeout: 40_000 });
  const tookOverMs = Date.now() - killedAt;
  phase("browserSucceeded");
  await expect(page.getByTestId("run-status")).toContainText(/succeeded/i);
  const stored = await storedEvents(watched);
  const allSeqs = stored.map((_, i) => i);
  // The socket delivered every seq exactly once, in order, across the kill (counted before any dedup).
  await expect.poll(() => delivered(page), { timeout: 10_000 }).toHaveLength(stored.length);
  expect(await delivered(page), "seqs delivered to the browser").toEqual(allSeqs);
  // It watched across the kill: part of the stream came before it, the rest (from another worker) after.
  expect(seenBeforeKill, "seqs the browser had at the kill").toBeGreaterThan(0);
  expect(seenBeforeKill, "seqs the browser had at the kill").toBeLessThan(stored.length);
  // Every node shows succeeded on the canvas.
  for (const id of NODE_IDS) await expect(page.getByTestId(`run-status-${id}`), `node ${id} on the canvas`).toHaveAttribute("data-run-status", "succeeded");
  // The badges say each node succeeded, none "×2" (that reads as "ran twice").
  const badges = await page.locator(".react-flow__node [role=status]").evaluateAll((els) => els.map((el) => el.getAttribute("aria-label") ?? ""));
  expect(badges, "node badges").toHaveLength(NODE_IDS.length);
  for (const b of badges) expect(b, "node badge").toMatch(/^Succeeded(?!.*×)/);
  // The timeline: one row per node, each with exactly one succeeded bar, and nothing still running.
  const timeline = page.getByTestId("run-timeline");
  await expect(timeline.locator('[data-testid="timeline-bar"][data-status="running"]'), "bars still running").toHaveCount(0);
  // The one execution the kill cut off (the run was inside a Delay) is drawn as interrupted.
  await expect(timeline.locator('[data-testid="timeline-bar"][data-status="interrupted"]'), "interrupted bars").toHaveCount(1);
  for (const id of NODE_IDS)
    await expect(timeline.getByTestId(`timeline-row-${id}`).locator('[data-status="succeeded"]'), `succeeded bars of ${id}`).toHaveCount(1);
  // The event log: every seq once, no gap; one terminal event; each node finished once.
  await page.getByTestId("tab-events").click();
  const log = page.getByTestId("event-log");
  await expect(log).toHaveAttribute("data-count", String(stored.length));
  await expect(log).toHaveAttribute("data-distinct", String(stored.length));
  await expect(log).toHaveAttribute("data-first-seq", "0");
  await expect(log).toHaveAttribute("data-last-seq", String(stored.length - 1));
  await page.getByTestId("log-filter-type").selectOption("run.finished");
  await expect(page.getByTestId("log-shown")).toHaveText(`1 of ${stored.length} events`);
  for (const t of ["run.failed", "run.cancelled"]) await expect(page.getByTestId("log-filter-type").locator(`option[value="${t}"]`)).toHaveCount(0);
  await page.getByTestId("log-filter-type").selectOption("node.finished");
  await expect(page.getByTestId("log-shown")).toHaveText(`${NODE_IDS.length} of ${stored.length} events`);
  const finishedRows = await log.locator("[data-seq]").evaluateAll((rows) => rows.map((r) => r.querySelectorAll("span")[3]?.textContent?.trim() ?? ""));
  expect([...finishedRows].sort(), "node.finished rows in the browser's log").toEqual([...NODE_IDS].sort());

  // ── on the server ───────────────────────────────────────────────────────────────────────────────
  expect(stored.map((e) => e.seq)).toEqual(allSeqs);
  // The kill really hit it: the run started on the victim and continued elsewhere from its checkpoint.
  expect(stored.filter((e) => e.type === "run.started").map((e) => e.resumed)).toEqual([false, true]);
  expect(
    stored.filter((e) => e.type === "node.started" && e.nodeId === "d1"),
    "d1 ran once (it was checkpointed)",
  ).toHaveLength(1);
  await context.close();
  phase("browserChecked");

  // Every run, the killed worker's and the other's: succeeded, exactly one terminal event, each node finished once.
  for (const until = Date.now() + 40_000; ; await sleep(250)) {
    const rows = await leases(runIds);
    if (runIds.every((id) => !["queued", "running", "waiting"].includes(rows.get(id)?.status ?? "queued"))) {
      expect(runIds.map((id) => rows.get(id)?.status)).toEqual(runIds.map(() => "succeeded"));
      break;
    }
    if (Date.now() > until) throw new Error(`runs still unfinished 40 s after the kill: ${JSON.stringify(Object.fromEntries(rows))}`);
  }
  for (const id of runIds) {
    const events = await storedEvents(id);
    expect(
      events.map((e) => e.seq),
      `run ${id}: seqs`,
    ).toEqual(events.map((_, i) => i));
    expect(
      events.filter((e) => TERMINAL.includes(e.type)).map((e) => e.type),
      `run ${id}: terminal events`,
    ).toEqual(["run.finished"]);
    const finished = events.filter((e) => e.type === "node.finished").map((e) => e.nodeId!);
    expect([...finished].sort(), `run ${id}: node.finished`).toEqual([...NODE_IDS].sort());
    const resumed = events.filter((e) => e.type === "run.started" && e.resumed).length;
    expect(resumed, `run ${id}: resumed segments`).toBe(victimRuns.includes(id) ? 1 : 0);
  }
  console.log(
    `worker kill: ${JSON.stringify({ victimRuns: victimRuns.length, runs: RUNS, seenBeforeKill, events: stored.length, browserSawSucceededAfterMs: tookOverMs, phases: { ...phases, done: phase("done") } })}`,
  );
});

test("a web process answers ?wait=, a stream and a lastNode webhook for runs a worker executes", async () => {
  test.setTimeout(90_000);
  workers.push(await startWorker("worker-3", shared));
  const created = await api("/api/workflows", { method: "POST", body: JSON.stringify({ document: delayChain("Answer from the web process", 2, 300) }) });
  expect(created.status, await created.clone().text()).toBe(201);
  const workflowId = ((await created.json()) as { id: string }).id;

  // ?wait=: the web process executes nothing; the worker's events reach it over Redis.
  const waited = await api(`/api/workflows/${workflowId}/runs?wait=30`, { method: "POST", body: JSON.stringify({ input: {} }) });
  expect(waited.status, await waited.clone().text()).toBe(200);
  expect(await waited.json()).toMatchObject({ status: "succeeded", result: "ok" });

  // Server-Sent Events from the same route: every seq once, in order, ending with run.finished.
  const streamed = await api(`/api/workflows/${workflowId}/runs`, {
    method: "POST",
    headers: { accept: "text/event-stream" },
    body: JSON.stringify({ input: {} }),
  });
  expect(streamed.status).toBe(200);
  expect(streamed.headers.get("content-type")).toContain("text/event-stream");
  const text = await streamed.text();
  const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  expect(ids.length, text.slice(0, 2000)).toBeGreaterThan(NODE_IDS.length);
  expect(ids).toEqual(ids.map((_, i) => i));
  expect([...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]).at(-1)).toBe("run.finished");

  // A lastNode webhook: the Output's value is the body.
  const triggers = await api(`/api/workflows/${workflowId}/triggers`, {
    method: "PUT",
    body: JSON.stringify({ triggers: [{ kind: "webhook", responseMode: "lastNode" }] }),
  });
  expect(triggers.status, await triggers.clone().text()).toBe(200);
  const hook = ((await triggers.json()) as { triggers: { url: string }[] }).triggers[0].url;
  const answered = await fetch(`${WEB}${hook}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(answered.status, await answered.clone().text()).toBe(200);
  expect(await answered.json()).toBe("ok");
});
