/**
 * Runs through the real server path: 200 concurrent runs of a 10-node workflow started with startRun,
 * executed by the worker-thread pool, events persisted (seq) in SQLite and published. Prints runs/s,
 * steps/s, peak RSS and the main event loop's delay p99 while they execute (target < 50 ms); then
 * crash recovery: a backend child is SIGKILLed mid-run and a new one boots on the same database;
 * prints the time from restart to the resumed run's next step (target < 2 s). Prints, never asserts.
 * Run: npx tsx bench/runs.ts [runs=200] [nodes=10] [sqlite|postgresql] [--no-crash] (PostgreSQL: 127.0.0.1:5432, the test setup's)
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

// lib/server modules import "server-only", which only loads under the react-server condition.
if (!process.execArgv.some((a) => a.includes("react-server"))) {
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const RUNS = Number(process.argv[2] ?? 200);
const NODES = Number(process.argv[3] ?? 10);
const PROVIDER = (process.argv[4] ?? "sqlite") as "sqlite" | "postgresql";
const root = path.resolve(import.meta.dirname, "..");
const { buildWorkflow } = await import("../lib/engine/testing");
const { createTestDatabase } = await import("../lib/db/testing");
const { setDatabase } = await import("../lib/db/database");
const { listRunEvents } = await import("../lib/db/run-events");
const { createWorkflow } = await import("../lib/server/workflows");
const { startRun, getRunManager, shutdownRunManager } = await import("../lib/server/runs");
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
{
  const t = await createTestDatabase(PROVIDER);
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
  const t0 = performance.now();
  const ids = await Promise.all(Array.from({ length: RUNS }, () => startRun(wf.id, { v: "" }, "api").then((r) => r.runId)));
  const tStarted = performance.now();
  for (;;) {
    const done = await t.db.prisma.run.count({ where: { id: { in: ids }, status: { in: ["succeeded", "failed", "cancelled"] } } });
    if (done === RUNS) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const elapsed = (performance.now() - t0) / 1000;
  eld.disable();
  clearInterval(rssTimer);
  const failed = await t.db.prisma.run.count({ where: { id: { in: ids }, status: { not: "succeeded" } } });
  const steps = await t.db.prisma.runEvent.count({ where: { runId: { in: ids }, type: "node.finished" } });
  const events = await t.db.prisma.runEvent.count({ where: { runId: { in: ids } } });
  const p99 = eld.percentile(99) / 1e6;
  console.log(`\n${RUNS} concurrent runs of a ${NODES}-node workflow (${PROVIDER === "sqlite" ? "SQLite" : "PostgreSQL"}, real pool):`);
  console.log(`  all started (startRun x${RUNS}) in ${fmt(tStarted - t0, 0)} ms; all finished in ${fmt(elapsed, 2)} s; failed: ${failed}`);
  console.log(`  runs/s: ${fmt(RUNS / elapsed)}   steps/s: ${fmt(steps / elapsed, 0)}   events persisted+published/s: ${fmt(events / elapsed, 0)}`);
  console.log(`  peak RSS (main + workers): ${fmt(peakRss / 2 ** 20, 0)} MB`);
  console.log(
    `  main event-loop delay: p50 ${fmt(eld.percentile(50) / 1e6)} ms, p99 ${fmt(p99)} ms, max ${fmt(eld.max / 1e6)} ms  (target p99 < 50 ms: ${fmt(p99 / 50, 2)}x of target)`,
  );
  await shutdownRunManager();
  setDatabase(null);
  await t.drop();
}

// ── 2. Crash recovery (skipped with --no-crash) ───────────────────────────────────────────────────
if (!process.argv.includes("--no-crash")) {
  spawnSync(process.execPath, [path.join(root, "scripts", "build-server.mjs")], { cwd: root, stdio: "ignore" });
  const bundledWorker = path.join(root, "dist", "run-worker.js");
  const dir = mkdtempSync(path.join(os.tmpdir(), "aura-bench-crash-"));
  const { openPreparedDatabase } = await import("../lib/db/database");
  const { resolveDatabaseConfig } = await import("../lib/db/config");
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
