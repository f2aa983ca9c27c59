/**
 * Soak: the production server under a steady closed loop (bench/webhook.ts's workload: Start → 10 Set
 * fields steps → Output, `POST /api/workflows/:id/runs?wait=30`) for a long time, with retention set
 * low so the pruner works during the soak. Every minute it prints the server's RSS, V8 heap used (from
 * /api/metrics), database size (file + WAL, or pg_database_size), the runs in the database and runs/s
 * for that minute. At the end: RSS of the last third vs. the middle third (growth), and the targets.
 * Prints, never asserts. Needs `npm run build` first.
 *
 * Run: npx tsx bench/soak.ts [--minutes=30] [--concurrency=10] [--postgres] [--no-prune] [--port=3197] [--max-runs=2000] [--env=NAME=value]
 * Retention during the soak: runs are kept 1 minute-ish (AURA_RETENTION_MAX_RUNS=2000 per workflow,
 * a pass every 30 s, step history compacted after 0 h) unless --no-prune (the throughput baseline).
 */
import { readFileSync, statSync } from "node:fs";
import pg from "pg";
import { benchAuth, createWorkflowVia, startProductionServer } from "./production-server";
import { buildWorkflow } from "../lib/engine/testing";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const MINUTES = Number(arg("minutes") ?? 30);
const CONCURRENCY = Number(arg("concurrency") ?? 10);
const POSTGRES = process.argv.includes("--postgres");
const PRUNE = !process.argv.includes("--no-prune");
const PORT = Number(arg("port") ?? 3197);
const MAX_RUNS = Number(arg("max-runs") ?? 2000);
/** Extra server environment, `--env=NAME=value` (repeatable), e.g. --env=MALLOC_ARENA_MAX=2. */
const EXTRA_ENV = Object.fromEntries(
  process.argv
    .filter((a) => a.startsWith("--env="))
    .map((a) => {
      const [k, ...v] = a.slice(6).split("=");
      return [k, v.join("=")];
    }),
);

function counterWorkflow() {
  const steps = Array.from(
    { length: 10 },
    (_, i) =>
      [`s${i}`, "set-fields", { assignments: [{ field: "counter", expression: "counter + 1", type: "number" }] }] as [string, string, Record<string, unknown>],
  );
  return buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "counter", type: "number", required: true, example: 0 }] }],
      ...steps,
      ["out", "output", { value: '{"counter":{{counter}}}' }],
    ],
    ["start->s0", ...steps.slice(1).map((_, i) => `s${i}->s${i + 1}`), "s9->out"],
    { maxConcurrentRuns: 1000 },
    "soak (10 Set fields)",
  );
}

async function freshPostgres(): Promise<string> {
  const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS aura_bench_soak WITH (FORCE)");
  await admin.query("CREATE DATABASE aura_bench_soak");
  await admin.end();
  return "postgresql://postgres@127.0.0.1:5432/aura_bench_soak";
}

const rssMb = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
};

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/api/metrics`, { headers: benchAuth })).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").at(-1)) : NaN;
}

const databaseUrl = POSTGRES ? await freshPostgres() : undefined;
const env: Record<string, string> = PRUNE
  ? { AURA_RETENTION_MAX_RUNS: String(MAX_RUNS), AURA_RETENTION_INTERVAL_MINUTES: "0.5", AURA_COMPACT_AFTER_HOURS: "0" }
  : { AURA_RETENTION: "off" };
Object.assign(env, EXTRA_ENV);
const server = await startProductionServer(PORT, "soak", { databaseUrl, env });
// The server goes with the bench, however the bench ends.
process.on("exit", () => server.kill("SIGTERM"));
const base = `http://127.0.0.1:${PORT}`;
const dbFile = `./data/bench-soak-${PORT}.db`;
const walBytes = () => {
  try {
    return statSync(`${dbFile}-wal`).size;
  } catch {
    return 0;
  }
};
const dbBytes = async () => {
  if (!POSTGRES) {
    const size = (p: string) => {
      try {
        return statSync(p).size;
      } catch {
        return 0;
      }
    };
    return size(dbFile) + size(`${dbFile}-wal`);
  }
  const r = (await (await fetch(`${base}/api/storage`, { headers: benchAuth })).json()) as { databaseBytes: number };
  return r.databaseBytes;
};

console.log(
  `soak: ${MINUTES} min at concurrency ${CONCURRENCY}, ${POSTGRES ? "PostgreSQL" : "SQLite"}, ${Object.keys(EXTRA_ENV).length ? `env ${JSON.stringify(EXTRA_ENV)}, ` : ""}retention ${PRUNE ? `on (max ${MAX_RUNS} runs/workflow, pass every 30 s, compaction at once)` : "OFF"}`,
);
const workflowId = await createWorkflowVia(base, counterWorkflow());
let done = 0;
let errors = 0;
let firstError = "";
const deadline = Date.now() + MINUTES * 60_000;

async function caller() {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/api/workflows/${workflowId}/runs?wait=30`, {
        method: "POST",
        headers: { "content-type": "application/json", ...benchAuth },
        body: JSON.stringify({ input: { counter: 0 } }),
      });
      const body = (await res.json()) as { status?: string };
      if (res.status === 200 && body.status === "succeeded") done++;
      else {
        errors++;
        firstError ||= `${res.status} ${JSON.stringify(body).slice(0, 200)}`;
      }
    } catch (err) {
      errors++;
      firstError ||= String(err);
    }
  }
}

const rows: { minute: number; rss: number; heap: number; db: number; runsInDb: number; rate: number }[] = [];
console.log("| minute | RSS MB | heap used MB | db MB (WAL) | runs in db | runs/s | errors | last prune |");
console.log("|---|---|---|---|---|---|---|---|");
const loops = Array.from({ length: CONCURRENCY }, caller);
let last = 0;
let minute = 0;
const ticker = setInterval(() => {
  void (async () => {
    minute++;
    const rate = (done - last) / 60;
    last = done;
    const heap = (await metric(base, "aura_nodejs_heap_size_used_bytes").catch(() => NaN)) / 1024 ** 2;
    const storage = await fetch(`${base}/api/storage`, { headers: benchAuth })
      .then((r) => r.json() as Promise<{ runs: number; lastPass: { at: string; summary: { runs?: number; durationMs?: number } | null } | null }>)
      .catch(() => ({ runs: NaN, lastPass: null }));
    const runsInDb = storage.runs;
    const lp = storage.lastPass;
    const pass = lp ? `${new Date(lp.at).toISOString().slice(11, 19)}: −${lp.summary?.runs ?? "?"} runs in ${lp.summary?.durationMs ?? "?"} ms` : "none";
    const row = { minute, rss: rssMb(server.pid!), heap, db: (await dbBytes()) / 1024 ** 2, runsInDb, rate };
    rows.push(row);
    const wal = POSTGRES ? "" : ` (${(walBytes() / 1024 ** 2).toFixed(1)})`;
    console.log(
      `| ${minute} | ${row.rss.toFixed(0)} | ${row.heap.toFixed(0)} | ${row.db.toFixed(1)}${wal} | ${runsInDb} | ${rate.toFixed(1)} | ${errors} | ${pass} |`,
    );
  })();
}, 60_000);
await Promise.all(loops);
clearInterval(ticker);
await new Promise((r) => setTimeout(r, 500));

const third = Math.max(1, Math.floor(rows.length / 3));
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const middle = rows.slice(third, 2 * third);
const lastThird = rows.slice(-third);
console.log(`\nruns ${done}, errors ${errors}${firstError ? ` (first: ${firstError})` : ""}, mean ${(done / (MINUTES * 60)).toFixed(1)} runs/s`);
if (rows.length >= 3) {
  const rssMid = Math.max(...middle.map((r) => r.rss));
  const rssLast = Math.max(...lastThird.map((r) => r.rss));
  console.log(
    `RSS max middle third ${rssMid.toFixed(0)} MB, last third ${rssLast.toFixed(0)} MB (growth ${(rssLast - rssMid).toFixed(0)} MB; target ≤ 0, steady < 500 MB)`,
  );
  console.log(`heap mean middle ${avg(middle.map((r) => r.heap)).toFixed(0)} MB, last ${avg(lastThird.map((r) => r.heap)).toFixed(0)} MB`);
  console.log(`db MB middle ${avg(middle.map((r) => r.db)).toFixed(1)}, last ${avg(lastThird.map((r) => r.db)).toFixed(1)} (target: flat)`);
}
server.kill("SIGTERM");
process.exit(0);
