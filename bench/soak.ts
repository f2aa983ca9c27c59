/**
 * Soak: the production server under a steady closed loop (bench/webhook.ts's workload: Start → 10 Set
 * fields steps → Output, `POST /api/workflows/:id/runs?wait=30`) for a long time, with retention set
 * low so the pruner works during the soak. Every minute it prints the server's RSS, V8 heap used (from
 * /api/metrics), database size (file + WAL, or pg_database_size), the runs in the database, runs/s,
 * the server's CPU ms per run, and the retention passes of that minute (polled from /api/storage every
 * 5 s: count, longest pass, runs pruned, longest delete/compaction batch, worst event-loop delay while a
 * pass ran). At the end: RSS and database size of the last third vs. the middle third (the DB size as
 * a slope in MB/min, least squares) and a verdict per target. Prints, never asserts. `npm run build` first.
 *
 * Run: npx tsx bench/soak.ts [--minutes=30] [--concurrency=10] [--postgres] [--no-prune] [--port=3197]
 *        [--max-runs=2000] [--interval-s=30] [--audit-minutes=5] [--ab] [--warmup=3] [--env=NAME=value]
 * Retention during the soak: at most --max-runs stopped runs per workflow (AURA_RETENTION_MAX_RUNS), a
 * pass every --interval-s, step history compacted at once (AURA_COMPACT_AFTER_HOURS=0), run starts'
 * audit entries kept --audit-minutes (AURA_RETENTION_AUDIT_RUN_START_DAYS); --no-prune turns the
 * pruner off.
 *
 * --ab: the throughput comparison on one server. The server's own timer is off; after --warmup minutes
 * with passes every --interval-s (called by the bench through POST /api/storage/prune), the rest of the
 * soak alternates one-minute windows with passes (on) and without (off), and prints runs/s and server
 * CPU ms per run for each, and the ratio on/off over adjacent pairs. An "on" window also prunes what the
 * "off" window before it left, so it carries about twice the steady pruning work: the ratio is a lower bound.
 */
import { readFileSync, statSync } from "node:fs";
import pg from "pg";
import { benchAuth, createWorkflowVia, startProductionServer } from "./production-server";
import { counterChain } from "./counter-chain";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const MINUTES = Number(arg("minutes") ?? 30);
const CONCURRENCY = Number(arg("concurrency") ?? 10);
const POSTGRES = process.argv.includes("--postgres");
const PRUNE = !process.argv.includes("--no-prune");
const AB = process.argv.includes("--ab");
const WARMUP_MIN = Number(arg("warmup") ?? 3);
const PORT = Number(arg("port") ?? 3197);
const MAX_RUNS = Number(arg("max-runs") ?? 2000);
/** Each API run start writes an audit entry: kept this long during the soak (the server default is 30 days). */
const AUDIT_MINUTES = Number(arg("audit-minutes") ?? 5);
const INTERVAL_S = Number(arg("interval-s") ?? 30);
/** Extra server environment, `--env=NAME=value` (repeatable), e.g. --env=MALLOC_ARENA_MAX=2. */
const EXTRA_ENV = Object.fromEntries(
  process.argv
    .filter((a) => a.startsWith("--env="))
    .map((a) => {
      const [k, ...v] = a.slice(6).split("=");
      return [k, v.join("=")];
    }),
);

async function freshPostgres(): Promise<string> {
  const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  const name = `aura_bench_soak_${PORT}`;
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return `postgresql://postgres@127.0.0.1:5432/${name}`;
}

const rssMb = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
};
/** CPU time (user + system, every thread) of a process in ms, from /proc (Linux). */
const cpuMs = (pid: number) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The values of these metrics in ONE scrape (prom-client resets its event-loop histogram at every scrape). */
async function metrics(base: string, names: string[]): Promise<number[]> {
  const text = await (await fetch(`${base}/api/metrics`, { headers: benchAuth })).text();
  return names.map((name) => {
    const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.split(" ").at(-1)) : NaN;
  });
}

/** The fields of a pass summary (lib/server/retention/pruner.ts PassSummary) this bench prints. */
interface Pass {
  at: string;
  durationMs?: number;
  runs?: number;
  compactedRuns?: number;
  longestBatchMs?: number;
  eventLoopDelayMaxMs?: number;
  more?: boolean;
  phasesMs?: Record<string, number>;
  sqlite?: { freePagesKept: number; pagesReleased: number; walFrames: number; walBusy: boolean; vacuumBusy: boolean };
}
interface Storage {
  runs: number;
  databaseBytes: number;
  lastPass: { at: string; summary: Omit<Pass, "at"> | null } | null;
}
const storage = async (base: string): Promise<Storage | null> =>
  fetch(`${base}/api/storage`, { headers: benchAuth })
    .then((r) => r.json() as Promise<Storage>)
    .catch(() => null);

const databaseUrl = POSTGRES ? await freshPostgres() : undefined;
const env: Record<string, string> = PRUNE
  ? {
      AURA_RETENTION_MAX_RUNS: String(MAX_RUNS),
      AURA_RETENTION_INTERVAL_MINUTES: String(INTERVAL_S / 60),
      AURA_COMPACT_AFTER_HOURS: "0",
      AURA_RETENTION_AUDIT_RUN_START_DAYS: String(AUDIT_MINUTES / 1440),
      // --ab: the bench calls the passes itself (POST /api/storage/prune); the server's timer stays off.
      ...(AB ? { AURA_RETENTION: "off" } : {}),
    }
  : { AURA_RETENTION: "off" };
Object.assign(env, EXTRA_ENV);
const server = await startProductionServer(PORT, "soak", { databaseUrl, env });
const pid = server.pid!;
// The server goes with the bench, however the bench ends.
process.on("exit", () => server.kill("SIGTERM"));
const base = `http://127.0.0.1:${PORT}`;
const dbFile = `./data/bench-soak-${PORT}.db`;
const fileBytes = (p: string) => {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
};
const dbBytes = async () => (POSTGRES ? ((await storage(base))?.databaseBytes ?? NaN) : fileBytes(dbFile) + fileBytes(`${dbFile}-wal`));

console.log(
  `soak: ${MINUTES} min at concurrency ${CONCURRENCY}, ${POSTGRES ? "PostgreSQL" : "SQLite"}, ${Object.keys(EXTRA_ENV).length ? `env ${JSON.stringify(EXTRA_ENV)}, ` : ""}retention ${
    PRUNE
      ? `on (max ${MAX_RUNS} runs/workflow, pass every ${INTERVAL_S} s${AB ? " called by the bench" : ""}, compaction at once, run-start audit entries kept ${AUDIT_MINUTES} min)`
      : "OFF"
  }${AB ? `, A/B windows of 1 min after ${WARMUP_MIN} min` : ""}; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
const workflowId = await createWorkflowVia(base, counterChain());
let done = 0;
let errors = 0;
let firstError = "";
const startedAt = Date.now();
const deadline = startedAt + MINUTES * 60_000;

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

// Every pass of the soak (the storage report shows the last one; polled often enough to see each).
const passes = new Map<string, Pass>();
const passWatcher = setInterval(() => {
  void storage(base).then((s) => {
    if (s?.lastPass?.summary && !passes.has(s.lastPass.at)) passes.set(s.lastPass.at, { at: s.lastPass.at, ...s.lastPass.summary });
  });
}, 5_000);

/** --ab: which minute windows have passes. Warm-up minutes are on; then off, on, off, on… */
const windowOn = (minuteIndex: number) => !AB || minuteIndex < WARMUP_MIN || (minuteIndex - WARMUP_MIN) % 2 === 1;
async function benchPasses() {
  while (Date.now() < deadline) {
    const t = Date.now();
    if (windowOn(Math.floor((t - startedAt) / 60_000))) {
      const r = await fetch(`${base}/api/storage/prune`, { method: "POST", headers: benchAuth }).catch(() => null);
      if (r && !r.ok) console.log(`prune answered ${r.status}: ${(await r.text()).slice(0, 200)}`);
    }
    // Passes start on the interval (and never two in one window's last seconds).
    await sleep(Math.max(1000, INTERVAL_S * 1000 - (Date.now() - t)));
  }
}

interface Row {
  minute: number;
  rss: number;
  heap: number;
  db: number;
  /** SQLite's WAL file, MB (0 on PostgreSQL): part of `db`, but a buffer that checkpoints empty, not growth. */
  wal: number;
  runsInDb: number;
  rate: number;
  cpuPerRun: number;
  loopMax: number;
  on: boolean;
}
const rows: Row[] = [];
console.log(
  `| minute |${AB ? " pruner |" : ""} RSS MB | heap used MB | db MB (WAL) | runs in db | db KB per run in db | runs/s | CPU ms/run | event-loop max ms | errors | passes: n, longest s, runs pruned, compacted, longest batch ms, max event-loop delay ms in a pass |`,
);
console.log(`|---|${AB ? "---|" : ""}---|---|---|---|---|---|---|---|---|---|`);
const loops = Array.from({ length: CONCURRENCY }, caller);
const pruneLoop = AB && PRUNE ? benchPasses() : Promise.resolve();
let last = 0;
let lastCpu = cpuMs(pid);
let minute = 0;
const ticker = setInterval(() => {
  void (async () => {
    minute++;
    const count = done - last;
    last = done;
    const cpu = cpuMs(pid);
    const cpuPerRun = (cpu - lastCpu) / Math.max(1, count);
    lastCpu = cpu;
    // This is the bench's only scrape, so the event-loop max covers the whole minute.
    const [heapBytes, loopMaxS] = await metrics(base, ["aura_nodejs_heap_size_used_bytes", "aura_nodejs_eventloop_lag_max_seconds"]).catch(() => [NaN, NaN]);
    const heap = heapBytes / 1024 ** 2;
    const loopMax = loopMaxS * 1000;
    const s = await storage(base);
    const since = Date.now() - 60_000;
    // `at` is when a pass ended: the passes that ended in this minute.
    const mine = [...passes.values()].filter((p) => Date.parse(p.at) >= since);
    const max = (f: (p: Pass) => number | undefined) => Math.max(0, ...mine.map((p) => f(p) ?? 0));
    const sum = (f: (p: Pass) => number | undefined) => mine.reduce((a, p) => a + (f(p) ?? 0), 0);
    const passText = mine.length
      ? `${mine.length}, ${(max((p) => p.durationMs) / 1000).toFixed(1)}${mine.some((p) => p.more) ? " (budget)" : ""}, −${sum((p) => p.runs)}, ${sum((p) => p.compactedRuns)}, ${max((p) => p.longestBatchMs)}, ${max((p) => p.eventLoopDelayMaxMs)}${mine.some((p) => p.sqlite?.walBusy) ? ", WAL busy" : ""}`
      : "0";
    const row: Row = {
      minute,
      rss: rssMb(pid),
      heap,
      db: (await dbBytes()) / 1024 ** 2,
      wal: POSTGRES ? 0 : fileBytes(`${dbFile}-wal`) / 1024 ** 2,
      runsInDb: s?.runs ?? NaN,
      rate: count / 60,
      cpuPerRun,
      loopMax,
      on: windowOn(minute - 1),
    };
    rows.push(row);
    const wal = POSTGRES ? "" : ` (${row.wal.toFixed(1)})`;
    console.log(
      `| ${minute} |${AB ? ` ${row.on ? "on" : "off"} |` : ""} ${row.rss.toFixed(0)} | ${row.heap.toFixed(0)} | ${row.db.toFixed(1)}${wal} | ${row.runsInDb} | ${((row.db * 1024) / row.runsInDb).toFixed(1)} | ${row.rate.toFixed(1)} | ${row.cpuPerRun.toFixed(1)} | ${row.loopMax.toFixed(0)} | ${errors} | ${passText} |`,
    );
  })();
}, 60_000);
await Promise.all([...loops, pruneLoop]);
clearInterval(ticker);
clearInterval(passWatcher);
await sleep(1500);

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
/** Least-squares slope of y per row (per minute). */
const slope = (ys: number[]) => {
  const mx = (ys.length - 1) / 2;
  const my = avg(ys);
  const den = ys.reduce((a, _, i) => a + (i - mx) ** 2, 0);
  return den ? ys.reduce((a, y, i) => a + (i - mx) * (y - my), 0) / den : 0;
};
const verdict = (ok: boolean) => (ok ? "MET" : "NOT MET");
console.log(`\nruns ${done}, errors ${errors}${firstError ? ` (first: ${firstError})` : ""}, mean ${(done / (MINUTES * 60)).toFixed(1)} runs/s`);
const all = [...passes.values()];
if (all.length) {
  const worst = (f: (p: Pass) => number | undefined) => Math.max(0, ...all.map((p) => f(p) ?? 0));
  console.log(
    `passes ${all.length}: longest ${(worst((p) => p.durationMs) / 1000).toFixed(1)} s, longest batch ${worst((p) => p.longestBatchMs)} ms, worst event-loop delay during a pass ${worst((p) => p.eventLoopDelayMaxMs)} ms, stopped at the budget ${all.filter((p) => p.more).length}`,
  );
}

if (AB) {
  // Adjacent pairs (off, on) after the warm-up; the first minute of the soak is excluded with the warm-up.
  const ab = rows.filter((r) => r.minute > WARMUP_MIN);
  const pairs: [Row, Row][] = [];
  for (let i = 0; i + 1 < ab.length; i += 2) if (!ab[i].on && ab[i + 1].on) pairs.push([ab[i], ab[i + 1]]);
  if (pairs.length) {
    const rate = avg(pairs.map(([off, on]) => on.rate / off.rate));
    const cpu = avg(pairs.map(([off, on]) => on.cpuPerRun / off.cpuPerRun));
    console.log(
      `A/B over ${pairs.length} pairs of minutes: runs/s on/off ${rate.toFixed(3)} (per pair: ${pairs.map(([off, on]) => (on.rate / off.rate).toFixed(2)).join(", ")})`,
    );
    console.log(`server CPU ms per run on/off ${cpu.toFixed(3)} (per pair: ${pairs.map(([off, on]) => (on.cpuPerRun / off.cpuPerRun).toFixed(2)).join(", ")})`);
    console.log(`throughput with the pruner ≥ 90% of without (lower bound: "on" windows also prune the "off" windows' runs): ${verdict(rate >= 0.9)}`);
  } else console.log("A/B: not enough windows (need --minutes ≥ warm-up + 2)");
} else if (rows.length >= 3) {
  const third = Math.max(1, Math.floor(rows.length / 3));
  const middle = rows.slice(third, 2 * third);
  const lastThird = rows.slice(-third);
  const rssMid = Math.max(...middle.map((r) => r.rss));
  const rssLast = Math.max(...lastThird.map((r) => r.rss));
  console.log(`RSS max middle third ${rssMid.toFixed(0)} MB, last third ${rssLast.toFixed(0)} MB (growth ${(rssLast - rssMid).toFixed(0)} MB)`);
  console.log(`heap mean middle ${avg(middle.map((r) => r.heap)).toFixed(0)} MB, last ${avg(lastThird.map((r) => r.heap)).toFixed(0)} MB`);
  // Flatness is judged on what stays: the database file without SQLite's WAL. The WAL is a write
  // buffer that each checkpoint empties, so a sample of it is wherever the last checkpoint left it
  // (here 8–43 MB from one minute to the next): counted in, it turned a flat file into a "slope".
  const kept = (r: Row) => r.db - r.wal;
  const dbMid = avg(middle.map(kept));
  const dbLast = avg(lastThird.map(kept));
  const slopeMid = slope(middle.map(kept));
  const slopeLast = slope(lastThird.map(kept));
  const spread = (Math.max(...lastThird.map(kept)) - Math.min(...lastThird.map(kept))) / dbLast;
  const what = POSTGRES ? "db MB" : "db MB without the WAL";
  console.log(
    `${what}: mean middle third ${dbMid.toFixed(1)}, last third ${dbLast.toFixed(1)} (${(((dbLast - dbMid) / dbMid) * 100).toFixed(1)}%); slope middle ${slopeMid.toFixed(2)} MB/min, last ${slopeLast.toFixed(2)} MB/min; spread in the last third ${(spread * 100).toFixed(1)}%`,
  );
  if (!POSTGRES) {
    const wals = rows.slice(third).map((r) => r.wal);
    const withWal = (rs: Row[]) => avg(rs.map((r) => r.db)).toFixed(1);
    console.log(
      `WAL from minute ${third + 1} on: ${Math.min(...wals).toFixed(1)}–${Math.max(...wals).toFixed(1)} MB; file + WAL mean middle third ${withWal(middle)}, last third ${withWal(lastThird)} MB`,
    );
  }
  const runsLast = avg(lastThird.map((r) => r.rate));
  console.log(
    `runs/s mean middle ${avg(middle.map((r) => r.rate)).toFixed(1)}, last ${runsLast.toFixed(1)}; CPU ms/run middle ${avg(middle.map((r) => r.cpuPerRun)).toFixed(1)}, last ${avg(lastThird.map((r) => r.cpuPerRun)).toFixed(1)}`,
  );
  console.log(`targets:`);
  console.log(`- RSS not growing (last third max ≤ middle third max + 2%): ${verdict(rssLast <= rssMid * 1.02)}`);
  console.log(`- steady RSS < 500 MB (last third max ${rssLast.toFixed(0)}): ${verdict(rssLast < 500)}`);
  if (PRUNE) {
    // Flat: over the last third the size moves less than 5% of itself (slope × its length), and it is not above the middle third by more than 5%.
    const drift = Math.abs(slopeLast * lastThird.length) / dbLast;
    console.log(
      `- ${POSTGRES ? "database size" : "database file (without the WAL)"} flat in the last third (drift ${(drift * 100).toFixed(1)}% ≤ 5%, vs middle ${(((dbLast - dbMid) / dbMid) * 100).toFixed(1)}% ≤ 5%): ${verdict(drift <= 0.05 && dbLast <= dbMid * 1.05)}`,
    );
    console.log(`- throughput ≥ 90% of a run without the pruner: see --ab`);
  }
}
server.kill("SIGTERM");
process.exit(0);
