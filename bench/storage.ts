/**
 * Bytes per run before and after checkpoint compaction (lib/server/retention), for the 10-step
 * counter chain of bench/webhook.ts and for each template with its Start fields' examples. Each
 * workload runs N times through the real server path (startRun, worker threads, checkpoints in the
 * app database) on a fresh SQLite database (or PostgreSQL), then one retention pass compacts every
 * finished run (AURA_COMPACT_AFTER_HOURS=0 equivalent; nothing is old enough to be pruned).
 * Bytes are the pages of each table with its indexes (SQLite dbstat; PostgreSQL
 * pg_total_relation_size, which only shrinks after VACUUM: there, rows are counted too).
 * Prints, never asserts.
 * Run: npx tsx bench/storage.ts [runs=20] [sqlite|postgresql]
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

// lib/server modules import "server-only", which only loads under the react-server condition.
if (!process.execArgv.some((a) => a.includes("react-server"))) {
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const RUNS = Number(process.argv[2] ?? 20);
const PROVIDER = (process.argv[3] ?? "sqlite") as "sqlite" | "postgresql";
const root = path.resolve(import.meta.dirname, "..");
const { counterChain } = await import("./counter-chain");
const { createTestDatabase } = await import("../lib/db/testing");
const { setDatabase } = await import("../lib/db/database");
const { tableSizes } = await import("../lib/db/storage");
const { queryRaw } = await import("../lib/db/raw-sql");
const { createWorkflow } = await import("../lib/server/workflows");
const { startRun, getRunManager, shutdownRunManager } = await import("../lib/server/runs");
// This bench calls the use-cases in-process, as the default workspace (routes get this from the signed-in caller).
const { enterWorkspaceForScript } = await import("../lib/server/request-scope");
enterWorkspaceForScript("ws_default");
const { runRetentionPass } = await import("../lib/server/retention/pruner");
const { DEFAULT_PRUNER_SETTINGS } = await import("../lib/server/retention/settings");
const { CHECKPOINT_SCHEMA } = await import("../lib/server/runs/checkpoint-tables");
const { exampleInput, startFieldsOf, parseWorkflow } = await import("../lib/workflow");

const workloads: { name: string; document: unknown }[] = [{ name: "10-step chain", document: counterChain() }];
for (const f of readdirSync(path.join(root, "templates"))
  .filter((x) => x.endsWith(".aura.json"))
  .sort()) {
  workloads.push({ name: f.replace(".aura.json", ""), document: JSON.parse(readFileSync(path.join(root, "templates", f), "utf8")) });
}

const RUN_TABLES = ["Run", "RunEvent"];
const CP_TABLES =
  PROVIDER === "sqlite"
    ? ["checkpoints", "writes"]
    : [`${CHECKPOINT_SCHEMA}.checkpoints`, `${CHECKPOINT_SCHEMA}.checkpoint_writes`, `${CHECKPOINT_SCHEMA}.checkpoint_blobs`];
const kb = (n: number) => (n / 1024).toFixed(1);

console.log(`storage per run, ${RUNS} runs per workload, ${PROVIDER}`);
console.log(
  `| workload | status | run+events KB/run | checkpoints KB/run before | after compaction | checkpoint rows/run before → after | total KB/run before → after |`,
);
console.log(`|---|---|---|---|---|---|---|`);
for (const w of workloads) {
  const t = await createTestDatabase(PROVIDER);
  setDatabase(t.db);
  const manager = getRunManager();
  await manager.start();
  await manager.ready();
  try {
    const wf = await createWorkflow({ document: w.document });
    const parsed = parseWorkflow(w.document);
    const input = parsed.ok ? exampleInput(startFieldsOf(parsed.document)).input : {};
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i += 5) {
      ids.push(...(await Promise.all(Array.from({ length: Math.min(5, RUNS - i) }, () => startRun(wf.id, input, "api").then((r) => r.runId)))));
    }
    for (;;) {
      const open = await t.db.prisma.run.count({ where: { id: { in: ids }, status: { in: ["queued", "running"] } } });
      if (!open) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const statuses = await t.db.prisma.run.groupBy({ by: ["status"], _count: { _all: true } });
    const measure = async () => {
      const sizes = new Map((await tableSizes(t.db, CHECKPOINT_SCHEMA)).map((s) => [s.table, s.bytes]));
      const sum = (names: string[]) => names.reduce((a, n) => a + (sizes.get(n) ?? 0), 0);
      const cpTable = PROVIDER === "sqlite" ? "checkpoints" : `"${CHECKPOINT_SCHEMA}".checkpoints`;
      const rows = Number((await queryRaw(t.db, `SELECT COUNT(*) AS n FROM ${cpTable}`, []))[0]?.n ?? 0);
      return { runs: sum(RUN_TABLES), cps: sum(CP_TABLES), rows };
    };
    const before = await measure();
    const pass = await runRetentionPass({
      db: t.db,
      policy: { days: 3650, maxRuns: 10_000_000, failedDays: 3650 },
      settings: { ...DEFAULT_PRUNER_SETTINGS, compactAfterMs: 0, pauseMs: 0 },
      owner: "bench:storage:1",
      now: () => Date.now() + 1000,
    });
    if (PROVIDER === "postgresql") for (const tb of CP_TABLES) await queryRaw(t.db, `VACUUM FULL ${tb.replace(/^([^.]+)\./, '"$1".')}`, []);
    const after = await measure();
    const per = (n: number) => kb(n / RUNS);
    const status = statuses.map((s) => `${s.status} ${s._count._all}`).join(", ");
    console.log(
      `| ${w.name} | ${status} | ${per(before.runs)} | ${per(before.cps)} | ${per(after.cps)} | ${(before.rows / RUNS).toFixed(1)} → ${(after.rows / RUNS).toFixed(1)} | ${per(before.runs + before.cps)} → ${per(after.runs + after.cps)} (${pass.outcome === "done" ? `${pass.compactedRuns} runs compacted` : "skipped"}) |`,
    );
  } finally {
    await shutdownRunManager();
    setDatabase(null);
    await t.drop();
  }
}
