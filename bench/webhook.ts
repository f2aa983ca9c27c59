/**
 * The workload the peers are measured on: a workflow Start → 10 steps each adding 1 to a counter →
 * Output `{"counter":10}`, called over HTTP by a closed-loop client (each of C callers sends the next
 * request as soon as its previous one answered) at concurrency 1, 10 and 50 for 20 s each, against the
 * production server (`npm run build` first) with durable runs (checkpoints and events persisted).
 * Two variants: 10 Set fields nodes, and 10 JavaScript transforms (`return state.counter + 1`).
 *
 * Each call is `POST /api/workflows/:id/runs?wait=30` through the typed client (lib/api/aura-client.ts,
 * which parses every answer with its zod contract), and every answer is checked (status 200, run
 * succeeded, result {"counter":10}). With accounts on, set AURA_TOKEN (or the server's
 * AURA_BOOTSTRAP_TOKEN) and the client sends it as a bearer token. A server without the
 * wait mode answers 202: the bench says so and stops. `--poll` measures the old path instead (202, then
 * polling GET /api/runs/:id every 5 ms): a fallback to check the bench itself, not the workload.
 *
 * Prints per variant and concurrency: runs/s, p50/p95/p99 latency, CPU ms per run (of the server's process
 * tree, and of its main thread alone: the event loop that serves HTTP and writes runs) and peak RSS of the
 * server's process tree (from /proc), errors, and the ratio to each target (ratio ≥ 1 meets it).
 *
 * The run thread's CPU (the busiest thread of the server besides the main one: the run worker; with
 * JavaScript transforms possibly a sandbox thread) is printed too.
 *
 * A/B: `--server-dir=OLD,NEW` starts each checkout's dist/server.js in turn (each with a fresh database),
 * `--pairs=N` times alternated (OLD, NEW, OLD, NEW, …), and ends with NEW/OLD ratios of the medians.
 *
 * Run: npx tsx bench/webhook.ts [--seconds=20] [--postgres] [--only=set|js] [--concurrency=1,10,50]
 *      [--port=3290] [--poll] [--profile=DIR (node --cpu-prof on the server, every thread)]
 *      [--server-dir=OLD,NEW [--pairs=2]]
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { execSync } from "node:child_process";
import pg from "pg";
import { buildWorkflow, type NodeSpec } from "../lib/engine/testing";
import { AuraClient } from "../lib/api/aura-client";
import { BENCH_OWNER, startProductionServer } from "./production-server";

const arg = (name: string) =>
  process.argv
    .find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
    ?.split("=")
    .slice(1)
    .join("=");
const SECONDS = Number(arg("seconds") ?? 20);
const CONCURRENCY = (arg("concurrency") ?? "1,10,50").split(",").map(Number);
const PORT = Number(arg("port") ?? 3290);
const POLL = arg("poll") !== undefined;
const PROFILE_DIR = arg("profile");
const VARIANTS = (arg("only") ?? "set,js").split(",") as ("set" | "js")[];
const DATABASES = arg("postgres") !== undefined ? ["sqlite", "postgresql"] : ["sqlite"];
const SERVER_DIRS = arg("server-dir")?.split(",") ?? ["."];
const PAIRS = SERVER_DIRS.length > 1 ? Number(arg("pairs") ?? 2) : 1;
const STEPS = 10;
const EXPECTED = { counter: STEPS };

/** The targets of the issue (2-core machine, SQLite). */
const TARGET = { setRunsPerSec: 100, setP95Ms: 150, jsRunsPerSec: 60, c1P50Ms: 30, peakRssMb: 400 };

for (const dir of SERVER_DIRS) {
  if (!existsSync(`${dir}/dist/server.js`)) {
    console.log(`bench/webhook.ts: ${dir}/dist/server.js is missing; run \`npm run build\` there first.`);
    process.exit(0);
  }
}

/** Start(counter) → 10 steps that add 1 → Output {"counter":N}. Runs are not capped by maxConcurrentRuns here. */
function counterWorkflow(variant: "set" | "js") {
  const step = (i: number): NodeSpec =>
    variant === "set"
      ? [`s${i}`, "set-fields", { assignments: [{ field: "counter", expression: "counter + 1", type: "number" }] }]
      : [`s${i}`, "js-transform", { code: "return state.counter + 1", outputKey: "counter" }];
  const steps = Array.from({ length: STEPS }, (_, i) => step(i));
  return buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "counter", type: "number", required: true, example: 0 }] }],
      ...steps,
      ["out", "output", { value: '{"counter":{{counter}}}' }],
    ],
    ["start->s0", ...steps.slice(1).map((_, i) => `s${i}->s${i + 1}`), `s${STEPS - 1}->out`],
    { maxConcurrentRuns: 1000 },
    `bench webhook (${variant === "set" ? "Set fields" : "JavaScript"})`,
  );
}

// ---- the server's process tree, from /proc -------------------------------------------------------
const CLK_TCK = Number(execSync("getconf CLK_TCK").toString().trim()) || 100;

function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      /* exited */
    }
  }
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(root);
  return out;
}

/** CPU time (user + system, ms) of one stat line of /proc. */
const statCpuMs = (stat: string) => {
  const fields = stat.split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK; // utime, stime (fields 14 and 15 of stat)
};

/**
 * CPU time (user + system, ms) and resident memory (MB) summed over the tree, and the CPU time of the
 * server's main thread alone (its event loop: HTTP, Prisma, the run manager; workers excluded).
 */
function treeUsage(root: number): { cpuMs: number; mainCpuMs: number; rssMb: number; threadCpuMs: Map<number, number> } {
  let ticks = 0;
  let rssKb = 0;
  for (const pid of processTree(root)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      /* exited */
    }
  }
  let mainCpuMs = NaN;
  const threadCpuMs = new Map<number, number>();
  try {
    mainCpuMs = statCpuMs(readFileSync(`/proc/${root}/task/${root}/stat`, "utf8"));
    for (const tid of readdirSync(`/proc/${root}/task`)) {
      if (Number(tid) === root) continue;
      try {
        threadCpuMs.set(Number(tid), statCpuMs(readFileSync(`/proc/${root}/task/${tid}/stat`, "utf8")));
      } catch {
        /* exited */
      }
    }
  } catch {
    /* exited */
  }
  return { cpuMs: (ticks * 1000) / CLK_TCK, mainCpuMs, rssMb: rssKb / 1024, threadCpuMs };
}

// ---- one call ----------------------------------------------------------------------------------
class WaitUnsupported extends Error {}

const sameResult = (value: unknown) => {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return false;
    }
  }
  return JSON.stringify(v) === JSON.stringify(EXPECTED);
};

/** Starts one run, waits for its answer and checks it; returns an error sentence or null. */
async function callOnce(api: AuraClient, workflowId: string): Promise<string | null> {
  const { status, data } = await api.startRun(workflowId, { input: { counter: 0 } }, POLL ? {} : { wait: 30 });
  if (POLL) {
    for (;;) {
      const run = await api.getRun(data.runId);
      if (run.status === "succeeded") return sameResult(run.result) ? null : `run ${run.id} result ${JSON.stringify(run.result)}`;
      if (run.status === "failed" || run.status === "cancelled") return `run ${run.id} ${run.status}: ${JSON.stringify(run.error)}`;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  if (status === 202 && data.status === "queued" && "position" in data)
    throw new WaitUnsupported(`the server answered 202 to ?wait=30 at once: it does not support the waiting call (POST /api/workflows/:id/runs?wait=) yet`);
  if (status !== 200 || data.status !== "succeeded")
    return `run ${data.runId} answered ${status} ${data.status}: ${"error" in data ? JSON.stringify(data.error) : ""}`;
  return sameResult("result" in data ? data.result : undefined) ? null : `unexpected result ${JSON.stringify("result" in data ? data.result : null)}`;
}

// ---- a closed loop at one concurrency ------------------------------------------------------------
interface Phase {
  runs: number;
  errors: number;
  firstError?: string;
  seconds: number;
  latencies: number[];
  cpuMs: number;
  mainCpuMs: number;
  /** The busiest thread besides the main one (the run worker). */
  runThreadCpuMs: number;
  peakRssMb: number;
}

async function closedLoop(api: AuraClient, workflowId: string, concurrency: number, seconds: number, serverPid: number): Promise<Phase> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const before = treeUsage(serverPid);
  let peakRssMb = before.rssMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, treeUsage(serverPid).rssMb)), 200);
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const start = performance.now();
          let error: string | null;
          try {
            error = await callOnce(api, workflowId);
          } catch (err) {
            if (err instanceof WaitUnsupported) throw err;
            error = (err as Error).message;
          }
          if (error) {
            errors++;
            firstError ??= error;
          } else latencies.push(performance.now() - start);
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const elapsed = (performance.now() - t0) / 1000;
  const after = treeUsage(serverPid);
  peakRssMb = Math.max(peakRssMb, after.rssMb);
  const runs = latencies.length;
  return {
    runs,
    errors,
    firstError,
    seconds: elapsed,
    latencies: latencies.sort((a, b) => a - b),
    cpuMs: after.cpuMs - before.cpuMs,
    mainCpuMs: after.mainCpuMs - before.mainCpuMs,
    runThreadCpuMs: Math.max(0, ...[...after.threadCpuMs].map(([tid, ms]) => ms - (before.threadCpuMs.get(tid) ?? 0))),
    peakRssMb,
  };
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : "-");
const ratio = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : "-");

/** A fresh PostgreSQL database for the bench on the local server (the test setup's: postgres, trust). */
async function freshPostgres(): Promise<string> {
  const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS aura_bench_webhook WITH (FORCE)");
  await admin.query("CREATE DATABASE aura_bench_webhook");
  await admin.end();
  return "postgresql://postgres@127.0.0.1:5432/aura_bench_webhook";
}

// ---- main -----------------------------------------------------------------------------------------
console.log(
  `webhook bench: ${STEPS} steps per run, closed loop at concurrency ${CONCURRENCY.join("/")} for ${SECONDS} s each, durable runs, production server${POLL ? "\nFALLBACK --poll: 202 + polling GET /api/runs/:id, not the measured workload" : ""}`,
);
const AB = SERVER_DIRS.length > 1;
const header = [
  "build",
  "db",
  "variant",
  "conc",
  "runs/s",
  "p50 ms",
  "p95 ms",
  "p99 ms",
  "CPU ms/run",
  "main ms/run",
  "run thread ms/run",
  "peak RSS MB",
  "errors",
  "vs targets",
];
const rows: string[][] = [];
/** Per build and "db variant conc": the measured phases (several with --pairs). */
const measured = new Map<string, Map<string, { rate: number; p50: number; p95: number; cpu: number; main: number; runThread: number }[]>>();
for (let pair = 0; pair < PAIRS; pair++) {
  for (const dir of SERVER_DIRS) {
    const build = AB ? (dir === SERVER_DIRS[0] ? "old" : dir === SERVER_DIRS[1] ? "new" : dir) : ".";
    for (const database of DATABASES) {
      const databaseUrl = database === "postgresql" ? await freshPostgres() : undefined;
      const server = await startProductionServer(PORT, "webhook", {
        databaseUrl,
        cwd: dir,
        nodeArgs: PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [],
      });
      const api = new AuraClient({ baseUrl: `http://127.0.0.1:${PORT}`, token: process.env.AURA_TOKEN ?? BENCH_OWNER.token });
      let benchPeakRss = 0;
      try {
        for (const variant of VARIANTS) {
          const { id: workflowId } = await api.createWorkflow({ document: counterWorkflow(variant) });
          // Warm-up (not measured): worker threads, the sandbox, the compiled-workflow cache, JIT.
          await closedLoop(api, workflowId, 2, Math.min(3, SECONDS), server.pid!);
          for (const concurrency of CONCURRENCY) {
            const p = await closedLoop(api, workflowId, concurrency, SECONDS, server.pid!);
            benchPeakRss = Math.max(benchPeakRss, p.peakRssMb);
            const rate = p.runs / p.seconds;
            const p50 = pct(p.latencies, 50),
              p95 = pct(p.latencies, 95),
              p99 = pct(p.latencies, 99);
            const perRun = (ms: number) => ms / Math.max(1, p.runs);
            const byBuild = measured.get(build) ?? new Map();
            measured.set(build, byBuild);
            const key = `${database} ${variant} c${concurrency}`;
            byBuild.set(key, [
              ...(byBuild.get(key) ?? []),
              { rate, p50, p95, cpu: perRun(p.cpuMs), main: perRun(p.mainCpuMs), runThread: perRun(p.runThreadCpuMs) },
            ]);
            const vs: string[] = [];
            if (concurrency === 10 && variant === "set") vs.push(`runs/s ${ratio(rate / TARGET.setRunsPerSec)}`, `p95 ${ratio(TARGET.setP95Ms / p95)}`);
            if (concurrency === 10 && variant === "js") vs.push(`runs/s ${ratio(rate / TARGET.jsRunsPerSec)}`);
            if (concurrency === 1) vs.push(`p50 ${ratio(TARGET.c1P50Ms / p50)}`);
            rows.push([
              build,
              database,
              variant,
              String(concurrency),
              fmt(rate, 1),
              fmt(p50, 1),
              fmt(p95, 1),
              fmt(p99, 1),
              fmt(perRun(p.cpuMs), 1),
              fmt(perRun(p.mainCpuMs), 1),
              fmt(perRun(p.runThreadCpuMs), 1),
              fmt(p.peakRssMb),
              String(p.errors),
              vs.join(", "),
            ]);
            console.log(rows.at(-1)!.join("  "));
            if (p.firstError) console.log(`  first error: ${p.firstError}`);
          }
        }
        rows.push([
          build,
          database,
          "whole bench",
          "",
          "",
          "",
          "",
          "",
          "",
          "",
          "",
          fmt(benchPeakRss),
          "",
          `peak RSS ${ratio(TARGET.peakRssMb / benchPeakRss)} (target < ${TARGET.peakRssMb} MB)`,
        ]);
      } catch (err) {
        if (!(err instanceof WaitUnsupported)) throw err;
        console.log(`\nbench/webhook.ts: ${err.message}. Nothing measured on ${database}.`);
      } finally {
        server.kill("SIGTERM");
        await new Promise((r) => server.once("exit", r));
      }
    }
  }
}

if (rows.length) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ");
  console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("-|-")}\n${rows.map(line).join("\n")}`);
  console.log(
    `targets (SQLite): Set c10 ≥ ${TARGET.setRunsPerSec} runs/s with p95 < ${TARGET.setP95Ms} ms; JavaScript c10 ≥ ${TARGET.jsRunsPerSec} runs/s; c1 p50 < ${TARGET.c1P50Ms} ms; peak RSS < ${TARGET.peakRssMb} MB. Ratio ≥ 1× meets a target.`,
  );
}
if (AB && measured.has("old") && measured.has("new")) {
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    return Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)];
  };
  console.log(`\nnew ÷ old, medians over ${PAIRS} interleaved pairs (${SERVER_DIRS[1]} vs ${SERVER_DIRS[0]}):`);
  for (const [key, olds] of measured.get("old")!) {
    const news = measured.get("new")!.get(key);
    if (!news) continue;
    const m = (list: typeof olds, f: keyof (typeof olds)[number]) => median(list.map((x) => x[f]));
    const cell = (f: keyof (typeof olds)[number], digits = 1) =>
      `${f} ${fmt(m(olds, f), digits)} → ${fmt(m(news, f), digits)} (${ratio(m(news, f) / m(olds, f))})`;
    console.log(`  ${key}: ${["rate", "p50", "p95", "cpu", "main", "runThread"].map((f) => cell(f as keyof (typeof olds)[number])).join(", ")}`);
  }
}
if (PROFILE_DIR) console.log(`CPU profiles (one per thread) in ${PROFILE_DIR}`);
