/**
 * How many runs per second the retention pruner can remove, measured apart from any workload: the
 * question is whether one pass per interval keeps up with ~80–100 runs/s of 10-step runs, which this
 * shared 2-core machine cannot produce next to the pruner. It runs SEED real runs of the 10-step chain
 * (bench/webhook.ts's workload: startRun, worker threads, checkpoints in the app database), copies their
 * rows (Run, RunEvent, checkpoints, writes, PostgreSQL blobs) until there are RUNS runs, then times:
 *   1. a compaction pass over all of them (each finished run once keeps only its last checkpoint),
 *   2. a prune pass that removes all but one (count rule), with SQLite vacuum and WAL checkpoint,
 * which is the work every run costs once in a steady state. Printed per phase: wall ms, this process's
 * CPU ms (the bench does nothing else meanwhile; CPU time survives a loaded machine far better than wall
 * time), runs per second of wall and of CPU, batches, the longest batch, the worst event-loop delay.
 * Prints, never asserts.
 * Run: npx tsx bench/retention-capacity.ts [runs=10000] [sqlite|postgresql] [batch=100] [seed=20]
 */
import { spawnSync } from "node:child_process";

// lib/server modules import "server-only", which only loads under the react-server condition.
if (!process.execArgv.some((a) => a.includes("react-server"))) {
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const RUNS = Number(process.argv[2] ?? 10_000);
const PROVIDER = (process.argv[3] ?? "sqlite") as "sqlite" | "postgresql";
const BATCH = Number(process.argv[4] ?? 100);
const SEED = Number(process.argv[5] ?? 20);
const { counterChain } = await import("./counter-chain");
const { createTestDatabase } = await import("../lib/db/testing");
const { setDatabase } = await import("../lib/db/database");
const { queryRaw, executeRaw } = await import("../lib/db/raw-sql");
const { databaseBytes } = await import("../lib/db/storage");
const { createWorkflow } = await import("../lib/server/workflows");
const { startRun, getRunManager, shutdownRunManager } = await import("../lib/server/runs");
const { enterWorkspaceForScript } = await import("../lib/server/request-scope");
enterWorkspaceForScript("ws_default");
const { runRetentionPass } = await import("../lib/server/retention/pruner");
const { DEFAULT_PRUNER_SETTINGS } = await import("../lib/server/retention/settings");
const { CHECKPOINT_SCHEMA } = await import("../lib/server/runs/checkpoint-tables");
type Summary = Extract<Awaited<ReturnType<typeof runRetentionPass>>, { outcome: "done" }>;

const sqlite = PROVIDER === "sqlite";
const cp = (name: string) => (sqlite ? name : `"${CHECKPOINT_SCHEMA}".${name}`);
const cpTables = sqlite ? ["checkpoints", "writes"] : ["checkpoints", "checkpoint_writes", "checkpoint_blobs"];

/** Column names of a table, quoted. */
async function columns(db: Parameters<typeof queryRaw>[0], table: string, schema: string | null): Promise<string[]> {
  const rows = sqlite
    ? await queryRaw(db, `SELECT name FROM pragma_table_info('${table}')`, [])
    : await queryRaw(
        db,
        `SELECT column_name AS name FROM information_schema.columns WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema()) ORDER BY ordinal_position`,
        [table, schema],
      );
  return rows.map((r) => `"${String(r.name)}"`);
}

/** INSERT … SELECT that copies the seed rows of `table` with `keyCols` suffixed by `suffix`. */
async function copyRows(db: Parameters<typeof queryRaw>[0], table: string, schema: string | null, keyCols: string[], where: string, suffix: string) {
  const cols = await columns(db, table, schema);
  const cat = (c: string) => (sqlite ? `${c} || '${suffix}'` : `${c} || '${suffix}'`);
  const select = cols.map((c) => (keyCols.includes(c) ? cat(c) : c)).join(", ");
  const name = schema ? `"${schema}"."${table}"` : `"${table}"`;
  await executeRaw(db, `INSERT INTO ${name} (${cols.join(", ")}) SELECT ${select} FROM ${name} WHERE ${where}`, []);
}

const t = await createTestDatabase(PROVIDER);
setDatabase(t.db);
const manager = getRunManager();
await manager.start();
await manager.ready();
try {
  const wf = await createWorkflow({ document: counterChain() });
  const ids: string[] = [];
  for (let i = 0; i < SEED; i += 5)
    ids.push(...(await Promise.all(Array.from({ length: Math.min(5, SEED - i) }, () => startRun(wf.id, { counter: 0 }, "api").then((r) => r.runId)))));
  for (;;) {
    const open = await t.db.prisma.run.count({ where: { id: { in: ids }, status: { in: ["queued", "running"] } } });
    if (!open) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await shutdownRunManager();
  // The settings of the passes, and one untimed pass first: statements warm, and a fresh file switched to incremental vacuum while it is small.
  const settings = { ...DEFAULT_PRUNER_SETTINGS, batchSize: BATCH, pauseMs: 0, maxPassMs: 3_600_000 };
  await runRetentionPass({ db: t.db, policy: { days: 3650, maxRuns: 10_000_000, failedDays: 3650 }, settings, owner: "bench:capacity:1" });
  // Copies: every seed run (and its thread) again with a suffix, until RUNS runs.
  const seedList = ids.map((id) => `'${id}'`).join(", ");
  const copies = Math.ceil(RUNS / SEED) - 1;
  const fillStart = Date.now();
  for (let k = 1; k <= copies; k++) {
    const sfx = `_c${k}`;
    await copyRows(t.db, "Run", null, [`"id"`, `"threadId"`], `"id" IN (${seedList})`, sfx);
    await copyRows(t.db, "RunEvent", null, [`"runId"`], `"runId" IN (${seedList})`, sfx);
    for (const table of cpTables) await copyRows(t.db, table, sqlite ? null : CHECKPOINT_SCHEMA, [`"thread_id"`], `"thread_id" IN (${seedList})`, sfx);
  }
  const count = async (table: string) => Number((await queryRaw(t.db, `SELECT COUNT(*) AS n FROM ${table}`, []))[0]?.n ?? 0);
  const runs = await count(`"Run"`);
  console.log(
    `retention capacity, ${PROVIDER}, 10-step chain: ${runs} runs (${SEED} real, copied in ${((Date.now() - fillStart) / 1000).toFixed(0)} s), ${await count(`"RunEvent"`)} events, ${await count(cp("checkpoints"))} checkpoints, ${await count(cp(sqlite ? "writes" : "checkpoint_writes"))} writes; batch ${BATCH}; load average ${(
      await import("node:os")
    )
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  console.log(
    `| phase | runs | wall ms | CPU ms | runs/s (wall) | runs/s (CPU) | CPU ms/run | batches | longest batch ms | max event-loop delay ms | phases ms | db MB before → after |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|---|---|---|---|`);
  const phase = async (name: string, policy: { days: number; maxRuns: number; failedDays: number }, compactAfterMs: number, pick: (s: Summary) => number) => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const r = await runRetentionPass({ db: t.db, policy, settings: { ...settings, compactAfterMs }, owner: "bench:capacity:1", now: () => Date.now() + 1000 });
    const cpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu));
    const wallMs = performance.now() - wall;
    if (r.outcome !== "done") throw new Error("pass skipped");
    const n = pick(r);
    console.log(
      `| ${name} | ${n} | ${wallMs.toFixed(0)} | ${cpuMs.toFixed(0)} | ${((n / wallMs) * 1000).toFixed(0)} | ${((n / cpuMs) * 1000).toFixed(0)} | ${(cpuMs / n).toFixed(3)} | ${r.batches} | ${r.longestBatchMs} | ${r.eventLoopDelayMaxMs} | ${Object.entries(
        r.phasesMs,
      )
        .filter(([, ms]) => ms > 0)
        .map(([k, ms]) => `${k} ${ms}`)
        .join(", ")} | ${(r.bytesBefore / 1024 ** 2).toFixed(1)} → ${(r.bytesAfter / 1024 ** 2).toFixed(1)} |`,
    );
    return { wallMs, cpuMs, n, r };
  };
  const bytes0 = await databaseBytes(t.db);
  const c = await phase("compact every run", { days: 3650, maxRuns: 10_000_000, failedDays: 3650 }, 0, (s) => s.compactedRuns);
  const p = await phase("prune all but one (count)", { days: 3650, maxRuns: 1, failedDays: 3650 }, 3_600_000_000, (s) => s.runs);
  const perRun = c.cpuMs / c.n + p.cpuMs / p.n;
  const wallPerRun = c.wallMs / c.n + p.wallMs / p.n;
  console.log(
    `\nsteady state (each run compacted once, pruned once): ${perRun.toFixed(3)} CPU ms/run, ${wallPerRun.toFixed(3)} wall ms/run → at 90 runs/s the pruner needs ${((90 * perRun) / 10).toFixed(1)}% of one core (${((90 * wallPerRun) / 10).toFixed(1)}% of wall time on this machine now); capacity ${(1000 / perRun).toFixed(0)} runs/s of CPU. db ${(bytes0 / 1024 ** 2).toFixed(1)} MB at the start.`,
  );
} finally {
  setDatabase(null);
  await t.drop();
}
