/**
 * Runs through the real server path: 200 concurrent runs of a 10-node workflow started with startRun,
 * executed by the worker-thread pool, events persisted (seq) in SQLite and published. Prints runs/s,
 * steps/s, peak RSS and the main event loop's delay p99 while they execute (target < 50 ms); then
 * crash recovery: a backend child is SIGKILLed mid-run and a new one boots on the same database;
 * prints the time from restart to the resumed run's next step (target < 2 s). Prints, never asserts.
 * Run: npx tsx bench/runs.ts [runs=200] [nodes=10] [sqlite|postgresql] [--no-crash] [--compare=N] [--threads] [--statements]
 * PostgreSQL: a fresh database on the test setup's server (TEST_POSTGRES_URL), or, with BENCH_POSTGRES_URL,
 * that database itself (its schemas public and aura_checkpoints are dropped and migrated again first).
 * --compare=N: the throughput part N times on SQLite and on PostgreSQL, interleaved (S P S P …, so both
 * see the same load of a shared machine), then the PostgreSQL/SQLite ratio of runs/s per pair and their
 * median, and the CPU ms of this process (main + worker threads) per run. Skips the crash part.
 * --threads: CPU ms per run of every thread (run threads are the ones at nice 10; V8's and libuv's
 * helper threads are all named "node"). --statements: the main thread's PostgreSQL statements by text.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

// lib/server modules import "server-only", which only loads under the react-server condition.
if (!process.execArgv.some((a) => a.includes("react-server"))) {
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const RUNS = Number(positional[0] ?? 200);
const NODES = Number(positional[1] ?? 10);
const PROVIDER = (positional[2] ?? "sqlite") as "sqlite" | "postgresql";
const COMPARE = Number(process.argv.find((a) => a.startsWith("--compare"))?.split("=")[1] ?? (process.argv.includes("--compare") ? 3 : 0));
const root = path.resolve(import.meta.dirname, "..");
const { buildWorkflow } = await import("../lib/engine/testing");
const { createTestDatabase } = await import("../lib/db/testing");
const { openPreparedDatabase } = await import("../lib/db/database");
const { resolveDatabaseConfig } = await import("../lib/db/config");
const { setDatabase } = await import("../lib/db/database");
const { listRunEvents } = await import("../lib/db/run-events");
const { createWorkflow } = await import("../lib/server/workflows");
const { startRun, getRunManager, shutdownRunManager } = await import("../lib/server/runs");
const { addRunEventTap } = await import("../lib/realtime/taps");
const { TERMINAL_EVENT_TYPES } = await import("../lib/contracts/events");
// This bench calls the use-cases in-process, as the default workspace (routes get this from the signed-in caller).
const { enterWorkspaceForScript } = await import("../lib/server/request-scope");
enterWorkspaceForScript("ws_default");

function chain(n: number, delayMs = 0) {
  const nodes: [string, string, Record<string, unknown>][] = [["start", "start", { fields: [{ name: "v", required: false }] }]];
  const edges: string[] = [];
  for (let i = 0; i < n - 2; i++) {
    nodes.push(delayMs && i === Math.floor((n - 2) / 2) ? [`n${i}`, "delay", { ms: delayMs }] : [`n${i}`, "template", { template: "{{v}}.", outputKey: "v" }]);
    edges.push(`${i === 0 ? "start" : `n${i - 1}`}->n${i}`);
  }
  nodes.push(["out", "output", { value: "{{v}}" }]);
  edges.push(`n${n - 3}->out`);
  return buildWorkflow(nodes, edges, { maxConcurrentRuns: 1000 }, `bench ${n} nodes`);
}

const fmt = (n: number, d = 1) => n.toFixed(d);
console.log(`machine: ${os.availableParallelism()} cores, node ${process.version}; workers: ${process.env.AURA_WORKERS ?? os.availableParallelism()}`);

// ── 1. Throughput and responsiveness ──────────────────────────────────────────────────────────────
/** The bench's database: a temporary one, or (PostgreSQL with BENCH_POSTGRES_URL) that one, emptied first. */
async function benchDatabase(provider: "sqlite" | "postgresql") {
  const url = process.env.BENCH_POSTGRES_URL;
  if (provider === "sqlite" || !url) return createTestDatabase(provider);
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query("DROP SCHEMA IF EXISTS aura_checkpoints CASCADE; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
  await admin.end();
  const { db } = await openPreparedDatabase(resolveDatabaseConfig(url));
  return { db, drop: () => db.close() };
}

/**
 * CPU ms used so far by the local PostgreSQL server's backends of one database (from /proc: the server
 * runs on the same cores, so its share is part of the price of a run). Empty when not readable.
 */
function pgBackendCpu(database: string): Map<number, number> {
  const out = new Map<number, number>();
  const tick = 1000 / 100; // USER_HZ
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(` ${database} `)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      out.set(Number(pid), (Number(stat[11]) + Number(stat[12])) * tick);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
/**
 * CPU ms per thread of this process (from /proc/self/task), keyed "main", "run:<tid>" for the run
 * worker threads (they lower themselves to nice 10, run-worker.ts) or "<name>:<tid>" for the rest
 * (libuv, V8 platform, loader and sandbox threads).
 */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      const raw = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const name = raw.slice(raw.indexOf("(") + 1, raw.lastIndexOf(")"));
      const f = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
      const kind = Number(tid) === process.pid ? "main" : Number(f[16]) === 10 ? "run" : name;
      out.set(kind === "main" ? kind : `${kind}:${tid}`, (Number(f[11]) + Number(f[12])) * 10);
    }
  } catch {
    // not Linux
  }
  return out;
}
/** Where this process's CPU went between two threadCpu snapshots, per run: main thread, run threads, the other threads by name. */
function threadSplit(before: Map<string, number>, after: Map<string, number>, runs: number): string {
  const d = [...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, v]) => v > 0);
  const main = d.find(([k]) => k === "main")?.[1] ?? 0;
  const byName = new Map<string, number>();
  for (const [k, v] of d) if (k !== "main") byName.set(k.split(":")[0], (byName.get(k.split(":")[0]) ?? 0) + v);
  if (process.argv.includes("--threads")) console.log([...d].map(([k, v]) => `${k} ${fmt(v / runs)}`).join(", "));
  return [`main ${fmt(main / runs)}`, ...[...byName].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k === "run" ? "run threads" : k} ${fmt(v / runs)}`)].join(
    ", ",
  );
}
const cpuSince = (before: Map<number, number>, after: Map<number, number>) => [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

interface Throughput {
  runsPerSec: number;
  cpuMsPerRun: number;
  /** PostgreSQL only: CPU ms of the server's backends per run. */
  serverCpuMsPerRun: number;
}

/**
 * --statements: the statements this process's main thread sends to PostgreSQL during the measured
 * part, counted by text (node-postgres's Client.query, which Prisma's adapter and lib/db/pg-writes.ts
 * both use; the run threads have their own module instances and are not counted).
 */
const statementCounts = new Map<string, number>();
if (process.argv.includes("--statements")) {
  const { default: pg } = await import("pg");
  const query = Object.getOwnPropertyDescriptor(pg.Client.prototype, "query")?.value as (...a: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0] as string | { text?: string };
    const text = (typeof q === "string" ? q : (q?.text ?? "?")).replace(/\s+/g, " ").slice(0, 100);
    statementCounts.set(text, (statementCounts.get(text) ?? 0) + 1);
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}
async function throughput(provider: "sqlite" | "postgresql", quiet = false): Promise<Throughput> {
  const t = await benchDatabase(provider);
  setDatabase(t.db);
  const manager = getRunManager();
  await manager.start();
  await manager.ready();
  const wf = await createWorkflow({ document: chain(NODES) });
  // Warm-up run (compile caches, checkpointer tables).
  const warm = await startRun(wf.id, { v: "" }, "api");
  while ((await t.db.prisma.run.findUniqueOrThrow({ where: { id: warm.runId } })).status !== "succeeded") await new Promise((r) => setTimeout(r, 20));

  const eld = monitorEventLoopDelay({ resolution: 5 });
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  eld.enable();
  const pgName = t.db.provider === "postgresql" ? decodeURIComponent(new URL(t.db.url).pathname.slice(1)) : null;
  const server0 = pgName ? pgBackendCpu(pgName) : new Map<number, number>();
  statementCounts.clear();
  const threads0 = threadCpu();
  const cpu0 = process.cpuUsage();
  // Runs that published their terminal event (stored first, then the Run row settles): the wait below
  // asks the database only once they all did, instead of polling it every 25 ms meanwhile, a cost
  // of the bench's own that grew with the run time and was counted as the main thread's.
  const ended = new Set<string>();
  let allEnded: () => void = () => {};
  const untap = addRunEventTap("bench-runs", (events) => {
    for (const e of events) if ((TERMINAL_EVENT_TYPES as readonly string[]).includes(e.type)) ended.add(e.runId);
    if (ended.size >= RUNS) allEnded();
  });
  const t0 = performance.now();
  const ids = await Promise.all(Array.from({ length: RUNS }, () => startRun(wf.id, { v: "" }, "api").then((r) => r.runId)));
  const tStarted = performance.now();
  for (const giveUp = Date.now() + 300_000; ;) {
    if (!ids.every((id) => ended.has(id))) await new Promise<void>((r) => ((allEnded = r), setTimeout(r, 1000)));
    // By workflow, not by id list: a list of thousands of ids exceeds SQLite's parameter limit.
    const finished = await t.db.prisma.run.count({ where: { workflowId: wf.id, status: { in: ["succeeded", "failed", "cancelled"] } } });
    const done = finished - 1; // the warm-up run
    if (done === RUNS) break;
    // A run that never ends is a bug to see, not a bench to wait for.
    if (Date.now() > giveUp) {
      const stuck = await t.db.prisma.run.groupBy({ by: ["status"], where: { workflowId: wf.id, id: { not: warm.runId } }, _count: true });
      throw new Error(`${provider}: ${RUNS - done} of ${RUNS} runs still not finished after 300 s (${stuck.map((g) => `${g.status} ${g._count}`).join(", ")})`);
    }
    if (ids.every((id) => ended.has(id))) await new Promise((r) => setTimeout(r, 5));
  }
  untap();
  const elapsed = (performance.now() - t0) / 1000;
  for (const [text, n] of [...statementCounts].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${text}`);
  const cpu = process.cpuUsage(cpu0);
  const split = threadSplit(threads0, threadCpu(), RUNS);
  const serverCpuMsPerRun = pgName ? cpuSince(server0, pgBackendCpu(pgName)) / RUNS : 0;
  eld.disable();
  clearInterval(rssTimer);
  const ofTheseRuns = { workflowId: wf.id, id: { not: warm.runId } };
  const failed = await t.db.prisma.run.count({ where: { ...ofTheseRuns, status: { not: "succeeded" } } });
  const steps = await t.db.prisma.runEvent.count({ where: { run: ofTheseRuns, type: "node.finished" } });
  const events = await t.db.prisma.runEvent.count({ where: { run: ofTheseRuns } });
  const p99 = eld.percentile(99) / 1e6;
  const cpuMsPerRun = (cpu.user + cpu.system) / 1000 / RUNS;
  const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
  const serverCpu = pgName ? ` + ${fmt(serverCpuMsPerRun)} of the PostgreSQL server` : "";
  if (quiet) {
    console.log(
      `  ${name.padEnd(10)} ${fmt(RUNS / elapsed).padStart(6)} runs/s  ${fmt(cpuMsPerRun).padStart(5)} CPU ms/run (this process)${serverCpu}  p99 ${fmt(p99)} ms  failed ${failed}`,
    );
    console.log(`             CPU ms per run by thread: ${split}`);
  } else {
    console.log(`\n${RUNS} concurrent runs of a ${NODES}-node workflow (${name}, real pool):`);
    console.log(`  all started (startRun x${RUNS}) in ${fmt(tStarted - t0, 0)} ms; all finished in ${fmt(elapsed, 2)} s; failed: ${failed}`);
    console.log(`  runs/s: ${fmt(RUNS / elapsed)}   steps/s: ${fmt(steps / elapsed, 0)}   events persisted+published/s: ${fmt(events / elapsed, 0)}`);
    console.log(`  CPU of this process (main + worker threads) per run: ${fmt(cpuMsPerRun)} ms${serverCpu}`);
    console.log(`  CPU ms per run by thread: ${split}`);
    console.log(`  peak RSS (main + workers): ${fmt(peakRss / 2 ** 20, 0)} MB`);
    console.log(
      `  main event-loop delay: p50 ${fmt(eld.percentile(50) / 1e6)} ms, p99 ${fmt(p99)} ms, max ${fmt(eld.max / 1e6)} ms  (target p99 < 50 ms: ${fmt(p99 / 50, 2)}x of target)`,
    );
  }
  await shutdownRunManager();
  setDatabase(null);
  await t.drop();
  return { runsPerSec: RUNS / elapsed, cpuMsPerRun, serverCpuMsPerRun };
}

if (COMPARE > 0) {
  console.log(
    `\nSQLite vs PostgreSQL, interleaved, ${COMPARE} pairs of ${RUNS} concurrent ${NODES}-node runs (load average ${os
      .loadavg()
      .map((l) => fmt(l, 2))
      .join(" ")}):`,
  );
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let i = 0; i < COMPARE; i++) {
    // Alternate which goes first, so neither always gets the fresher machine.
    const order: ("sqlite" | "postgresql")[] = i % 2 ? ["postgresql", "sqlite"] : ["sqlite", "postgresql"];
    const r: Partial<Record<"sqlite" | "postgresql", Throughput>> = {};
    for (const p of order) r[p] = await throughput(p, true);
    ratios.push(r.postgresql!.runsPerSec / r.sqlite!.runsPerSec);
    cpuRatios.push((r.postgresql!.cpuMsPerRun + r.postgresql!.serverCpuMsPerRun) / r.sqlite!.cpuMsPerRun);
    console.log(`  pair ${i + 1}: PostgreSQL/SQLite runs/s ${fmt(ratios.at(-1)!, 2)}x, CPU ms/run (PostgreSQL incl. its server) ${fmt(cpuRatios.at(-1)!, 2)}x`);
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  console.log(
    `  median PostgreSQL/SQLite: runs/s ${fmt(median(ratios), 2)}x (target >= 0.80x), CPU ms/run incl. the server ${fmt(median(cpuRatios), 2)}x; load average now ${os
      .loadavg()
      .map((l) => fmt(l, 2))
      .join(" ")}`,
  );
  process.exit(0);
}
await throughput(PROVIDER);

// ── 2. Crash recovery (skipped with --no-crash) ───────────────────────────────────────────────────
if (!process.argv.includes("--no-crash")) {
  spawnSync(process.execPath, [path.join(root, "scripts", "build-server.mjs")], { cwd: root, stdio: "ignore" });
  const bundledWorker = path.join(root, "dist", "run-worker.js");
  const dir = mkdtempSync(path.join(os.tmpdir(), "aura-bench-crash-"));
  const { db } = await openPreparedDatabase(resolveDatabaseConfig(`file:${path.join(dir, "aura.db")}`));
  const file = path.join(dir, "doc.json");
  writeFileSync(file, JSON.stringify(chain(NODES, 1000)));
  // The backend child bundled like dist/server.js, so the restart is timed as production starts (no tsx).
  const { bundleNode } = await import("../scripts/bundle-node.mjs");
  // Beside dist/server.js, so packages and the Prisma client resolve exactly as in production.
  await bundleNode({ "bench-backend-child": path.join(root, "lib", "server", "runs", "fixtures", "backend-child.ts") }, path.join(root, "dist"));
  const child = path.join(root, "dist", "bench-backend-child.js");
  const env = { ...process.env, DATABASE_URL: db.url, AURA_WORKERS: "1", ...(existsSync(bundledWorker) ? { AURA_RUN_WORKER: bundledWorker } : {}) };
  const spawnChild = (args: string[]) => {
    const proc = spawn(process.execPath, [child, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    const line = new Promise<any>((resolve) => {
      let buf = "";
      proc.stdout.on("data", (d) => {
        buf += d;
        const l = buf.split("\n").find((x) => x.startsWith('{"runId"') || x.startsWith('{"booted"'));
        if (l) resolve(JSON.parse(l));
      });
    });
    return { proc, line };
  };
  const first = spawnChild(["start", file]);
  const { runId } = await first.line;
  let lastSeq: number;
  for (;;) {
    const ev = await listRunEvents(db, runId, -1, 1000);
    if (ev.some((e) => e.type === "node.started" && (e as { kind?: string }).kind === "delay")) {
      lastSeq = ev.at(-1)!.seq;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  first.proc.kill("SIGKILL");
  await new Promise((r) => first.proc.once("exit", r));
  const restart = performance.now();
  const second = spawnChild(["boot"]);
  let nextStepMs = NaN;
  const booted = second.line.then((l) => ({ ms: performance.now() - restart, child: l.booted }));
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    const ev = await listRunEvents(db, runId, lastSeq, 100);
    if (ev.some((e) => e.type === "node.started")) {
      nextStepMs = performance.now() - restart;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const b = await booted;
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    if ((await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).status === "succeeded") break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const status = (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).status;
  second.proc.kill("SIGKILL");
  console.log(
    `\ncrash recovery (SIGKILL mid-run, new process on the same SQLite DB; worker: ${existsSync(bundledWorker) ? "bundled dist/run-worker.js" : "tsx"}):`,
  );
  console.log(`  restart → backend booted: ${fmt(b.ms, 0)} ms (in-process boot ${b.child} ms, the rest is node start and module loading)`);
  console.log(`  restart → resumed run's next step: ${fmt(nextStepMs, 0)} ms  (target < 2000 ms: ${fmt(nextStepMs / 2000, 2)}x of target); run then ${status}`);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
