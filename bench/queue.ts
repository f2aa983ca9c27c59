/**
 * Queue mode against one process, on PostgreSQL (127.0.0.1:5432, the test setup's) and Redis
 * (REDIS_URL, default redis://127.0.0.1:6379):
 *   1. single process: this process starts and executes N concurrent runs of a chain workflow;
 *   2. queue mode: this process is the web role (starts runs, executes nothing), W worker processes
 *      (worker.ts) execute them over the BullMQ queue.
 * Prints runs/s, p50/p95 start latency (Run.createdAt → startedAt) and the workers' CPU per run, and
 * the ratio queue/single (target ≥ 0.8 on a 2-core machine, where the point is that the queue costs
 * little). `--faults`: N runs across 3 workers, one SIGKILLed midway and restarted; checks every run
 * succeeded exactly once (one terminal event, every node finished exactly once). Prints; exits 1 on a broken run.
 * The modes take turns (--rounds=N, default 2: single, queue, single, queue) so a load swing on a shared
 * machine hits both; CPU per run is per process, with the main thread apart (all threads include the
 * engine threads and V8's helpers).
 * An uncounted warm-up round comes first (--no-warmup counts it).
 * Run: npx tsx bench/queue.ts [runs=200] [nodes=10] [workers=2] [--rounds=2] [--no-warmup] [--queue-only]
 *      npx tsx bench/queue.ts --faults [runs=1000]
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

// lib/server modules import "server-only", which only loads under the react-server condition.
if (!process.execArgv.some((a) => a.includes("react-server"))) {
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const args = process.argv.slice(2);
const FAULTS = args[0] === "--faults";
// --queue-only: skip the single-process rounds (profiling the workers; prints no ratio).
const QUEUE_ONLY = args.includes("--queue-only");
// --rounds=N: how many times each mode runs its RUNS runs, taking turns (default 2).
const ROUNDS = Math.max(1, Number(args.find((a) => a.startsWith("--rounds="))?.slice(9)) || 2);
// --no-warmup: count the first round too (by default an uncounted round warms both modes up first).
const WARMUP = !args.includes("--no-warmup");
const nums = args.filter((a) => !a.startsWith("--")).map(Number);
const RUNS = nums[0] ?? (FAULTS ? 1000 : 200);
const NODES = nums[1] ?? 10;
const WORKERS = FAULTS ? 3 : (nums[2] ?? 2);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `aura-bench-${process.pid}`;
delete process.env.REDIS_URL; // phase 1 is in-process: no queue

const { templateChain: chain, exactlyOnceReport } = await import("../lib/server/queue/testing/exactly-once");
const { createTestDatabase } = await import("../lib/db/testing");
const { setDatabase } = await import("../lib/db/database");
const { createWorkflow } = await import("../lib/server/workflows");
const { startRun, shutdownRunManager } = await import("../lib/server/runs");
const { closeRunQueue } = await import("../lib/server/queue/runtime");
const { RunManager } = await import("../lib/server/runs/manager");
const { processSlot } = await import("../lib/process-singleton");
const { spawnWorker, dropPrefix } = await import("../lib/server/queue/testing/spawn-worker");
const { enterWorkspaceForScript } = await import("../lib/server/request-scope");
enterWorkspaceForScript("ws_default");
type Db = Awaited<ReturnType<typeof createTestDatabase>>["db"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
/** CPU time (user + system) in ms from a /proc stat file (Linux). */
const statCpuMs = (file: string) => {
  const f = readFileSync(file, "utf8").split(") ")[1].split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};
/** CPU time of a process in ms: all its threads (engine threads, GC helpers, libuv pool) and its main thread alone. */
const cpuMs = (pid: number) => ({ all: statCpuMs(`/proc/${pid}/stat`), main: statCpuMs(`/proc/${pid}/task/${pid}/stat`) });
const cpuSince = (pid: number, before: { all: number; main: number }) => {
  const now = cpuMs(pid);
  return { all: now.all - before.all, main: now.main - before.main };
};
/** "12.3 ms/run (main thread 4.5)" */
const perRun = (cpu: { all: number; main: number }) => `${(cpu.all / RUNS).toFixed(1)} ms/run (main thread ${(cpu.main / RUNS).toFixed(1)})`;

async function waitAll(db: Db, ids: string[]) {
  for (;;) {
    const done = await db.prisma.run.count({ where: { id: { in: ids }, status: { in: ["succeeded", "failed", "cancelled"] } } });
    if (done === ids.length) return;
    // 50 ms: the poll itself costs this process CPU, and more of it the longer a mode takes.
    await sleep(50);
  }
}

/** Starts RUNS runs at once, waits for all; runs/s and start latency. */
async function measure(db: Db, workflowId: string) {
  const warm = await startRun(workflowId, { v: "" }, "api");
  await waitAll(db, [warm.runId]);
  const t0 = performance.now();
  const ids = await Promise.all(Array.from({ length: RUNS }, () => startRun(workflowId, { v: "" }, "api").then((r) => r.runId)));
  await waitAll(db, ids);
  const seconds = (performance.now() - t0) / 1000;
  const rows = await db.prisma.run.findMany({ where: { id: { in: ids } }, select: { status: true, createdAt: true, startedAt: true } });
  const latency = rows.map((r) => (r.startedAt?.getTime() ?? 0) - r.createdAt.getTime());
  return { runsPerS: RUNS / seconds, seconds, latency, failed: rows.filter((r) => r.status !== "succeeded").length, ids };
}

console.log(`machine: ${os.availableParallelism()} cores, node ${process.version}; ${RUNS} runs of ${NODES} nodes; PostgreSQL; ${WORKERS} workers`);
console.log(
  `load average before: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} (other processes on this machine skew both modes)`,
);

// The same engine threads in total as the single process (its pool: one per core), split over the workers.
const threadsPerWorker = process.env.AURA_WORKERS ?? String(Math.max(1, Math.floor(os.availableParallelism() / WORKERS)));
// AURA_BENCH_WORKER_ARGS: extra Node options for the workers only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
const workerArgs = process.env.AURA_BENCH_WORKER_ARGS?.split(" ").filter(Boolean) ?? [];
const workerEnv = (url: string) => ({
  DATABASE_URL: url,
  REDIS_URL,
  AURA_QUEUE_PREFIX: prefix,
  AURA_LEASE_MS: "10000",
  AURA_WORKERS: threadsPerWorker,
});

if (!FAULTS) {
  // Modes take turns (single, queue, single, queue, …): this machine's load swings within a minute,
  // and a ratio of two phases run minutes apart measured the swing as much as the modes.
  type Cpu = { all: number; main: number };
  type Tally = { seconds: number; runs: number; latency: number[]; failed: number; cpu: Cpu; web?: Cpu };
  const tally = (): Tally => ({ seconds: 0, runs: 0, latency: [], failed: 0, cpu: { all: 0, main: 0 } });
  const add = (a: Cpu, b: Cpu) => ({ all: a.all + b.all, main: a.main + b.main });
  const singleT = tally();
  const queueT: Tally = { ...tally(), web: { all: 0, main: 0 } };
  const singleDb = await createTestDatabase("postgresql");
  const queueDb = await createTestDatabase("postgresql");
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => spawnWorker(workerEnv(queueDb.db.url), workerArgs)));
  const perRunOf = (c: Cpu, runs: number) => `${(c.all / runs).toFixed(1)} ms/run (main thread ${(c.main / runs).toFixed(1)})`;
  const line = (t: Tally) => `${(t.runs / t.seconds).toFixed(1)} runs/s, start latency p50 ${pct(t.latency, 50)} ms p95 ${pct(t.latency, 95)} ms`;
  // One run manager per mode for the whole bench, swapped into the process-wide slot that startRun
  // uses: the single process's engine threads stay warm across rounds, as the workers' do.
  const managerSlot = processSlot<InstanceType<typeof RunManager>>("runManager");
  const singleEnv = () => {
    for (const k of ["REDIS_URL", "AURA_QUEUE_PREFIX", "AURA_ROLE"]) delete process.env[k];
  };
  const queueEnv = () => Object.assign(process.env, { REDIS_URL, AURA_QUEUE_PREFIX: prefix, AURA_ROLE: "web" });
  singleEnv();
  const singleManager = new RunManager({ role: "all", dispatcher: null, database: async () => singleDb.db });
  queueEnv();
  const webManager = new RunManager({ role: "web", database: async () => queueDb.db });
  try {
    if (!QUEUE_ONLY) {
      await singleManager.start();
      await singleManager.ready();
    }
    setDatabase(singleDb.db);
    const singleWf = await createWorkflow({ document: chain(NODES) });
    setDatabase(queueDb.db);
    const queueWf = await createWorkflow({ document: chain(NODES) });
    // Round 0 warms both modes up (JIT, caches, pools) and is not counted: a cold first round measured
    // V8's warm-up, which a long-running server or worker pays once.
    for (let round = WARMUP ? 0 : 1; round <= ROUNDS; round++) {
      const counted = round > 0;
      const label = counted ? `round ${round}` : "warm-up (not counted)";
      if (!QUEUE_ONLY) {
        // ── One process: this process starts and executes the runs ──
        singleEnv();
        setDatabase(singleDb.db);
        managerSlot.set(singleManager);
        const cpu0 = cpuMs(process.pid);
        const r = await measure(singleDb.db, singleWf.id);
        const cpu = cpuSince(process.pid, cpu0);
        if (counted)
          Object.assign(singleT, {
            seconds: singleT.seconds + r.seconds,
            runs: singleT.runs + RUNS,
            failed: singleT.failed + r.failed,
            cpu: add(singleT.cpu, cpu),
          });
        if (counted) singleT.latency.push(...r.latency);
        console.log(`${label} single process: ${r.runsPerS.toFixed(1)} runs/s, CPU ${perRun(cpu)}`);
      }
      // ── Queue mode: this process is the web role, the workers execute ──
      queueEnv();
      setDatabase(queueDb.db);
      managerSlot.set(webManager);
      const before = workers.map((w) => cpuMs(w.pid));
      const web0 = cpuMs(process.pid);
      const q = await measure(queueDb.db, queueWf.id);
      const web = cpuSince(process.pid, web0);
      const workerCpu = workers.map((w, i) => cpuSince(w.pid, before[i])).reduce(add, { all: 0, main: 0 });
      if (counted)
        Object.assign(queueT, {
          seconds: queueT.seconds + q.seconds,
          runs: queueT.runs + RUNS,
          failed: queueT.failed + q.failed,
          cpu: add(queueT.cpu, workerCpu),
          web: add(queueT.web!, web),
        });
      if (counted) queueT.latency.push(...q.latency);
      console.log(`${label} queue mode:     ${q.runsPerS.toFixed(1)} runs/s, workers' CPU ${perRun(workerCpu)}, web CPU ${perRun(web)}`);
    }
    if (!QUEUE_ONLY) console.log(`single process: ${line(singleT)}, CPU ${perRunOf(singleT.cpu, singleT.runs)}, failed ${singleT.failed}`);
    console.log(
      `queue mode:     ${line(queueT)}, workers' CPU ${perRunOf(queueT.cpu, queueT.runs)}, web CPU ${perRunOf(queueT.web!, queueT.runs)}, failed ${queueT.failed}`,
    );
    if (!QUEUE_ONLY) {
      const ratio = queueT.runs / queueT.seconds / (singleT.runs / singleT.seconds);
      const cpuRatio = (queueT.cpu.all + queueT.web!.all) / queueT.runs / (singleT.cpu.all / singleT.runs);
      console.log(`queue/single runs/s: ${ratio.toFixed(2)} (target ≥ 0.8); queue/single CPU per run: ${cpuRatio.toFixed(2)}`);
    }
    console.log(
      `one more worker machine (1 core) adds about ${(1000 / (queueT.cpu.all / queueT.runs)).toFixed(0)} runs/s of this workflow while the database keeps up (worker CPU per run).`,
    );
    console.log(
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
  } finally {
    for (const w of workers) w.proc.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
    managerSlot.set(undefined);
    await singleManager.close();
    await webManager.close();
    await closeRunQueue();
    await dropPrefix(REDIS_URL, prefix);
    setDatabase(null);
    await singleDb.drop();
    await queueDb.drop();
  }
} else {
  // ── Faults: RUNS runs across 3 workers, one killed midway and restarted ────────────────────────
  const t = await createTestDatabase("postgresql");
  setDatabase(t.db);
  Object.assign(process.env, { REDIS_URL, AURA_QUEUE_PREFIX: prefix, AURA_ROLE: "web" });
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => spawnWorker(workerEnv(t.db.url), workerArgs)));
  let broken: number | undefined;
  try {
    const wf = await createWorkflow({ document: chain(NODES) });
    const t0 = performance.now();
    const ids = await Promise.all(Array.from({ length: RUNS }, () => startRun(wf.id, { v: "" }, "api").then((r) => r.runId)));
    for (;;) {
      const done = await t.db.prisma.run.count({ where: { id: { in: ids }, status: { in: ["succeeded", "failed", "cancelled"] } } });
      if (done >= RUNS / 2) break;
      await sleep(25);
    }
    const victim = workers[0];
    const heldByVictim = await t.db.prisma.run.count({ where: { id: { in: ids }, status: "running", leaseOwner: { contains: `:${victim.pid}:` } } });
    victim.proc.kill("SIGKILL");
    await victim.exited;
    console.log(`killed worker ${victim.pid} at ${((performance.now() - t0) / 1000).toFixed(1)} s holding ${heldByVictim} running runs; restarting it`);
    workers[0] = await spawnWorker(workerEnv(t.db.url), workerArgs);
    await waitAll(t.db, ids);
    const seconds = (performance.now() - t0) / 1000;
    const r = await exactlyOnceReport(t.db, ids, NODES);
    broken = r.broken;
    console.log(
      `${RUNS} runs in ${seconds.toFixed(1)} s (${(RUNS / seconds).toFixed(1)} runs/s): succeeded ${r.succeeded}, exactly one terminal event ${r.oneTerminal}, runs with a node finished twice ${r.finishedTwice}, runs with a node never said finished ${r.finishedMissing} (finishes recovered on continuing: ${r.recovered})`,
    );
    console.log(broken ? "BROKEN: see the counts above" : "all runs succeeded exactly once");
  } finally {
    for (const w of workers) w.proc.kill("SIGKILL");
    await shutdownRunManager();
    await closeRunQueue();
    await dropPrefix(REDIS_URL, prefix);
    setDatabase(null);
    await t.drop();
  }
  process.exit(broken === 0 ? 0 : 1);
}
process.exit(0);
