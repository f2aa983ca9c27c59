/**
 * bench/runs-list.ts: the runs list API over 100,000 runs, in SQLite and in PostgreSQL.
 * Seeds the runs (batched createMany), then times filtered pages through the route handler
 * (GET /api/runs, the same code path as the server) and prints the median per query, and its
 * ratio to the 50 ms target. Prints numbers, asserts nothing.
 *
 *   npx tsx bench/runs-list.ts [count=100000]
 */
import { spawnSync } from "node:child_process";
import type { TestDatabase } from "@/lib/db/testing";

// lib/server modules import "server-only", which only loads under the react-server condition.
if (!process.execArgv.some((a) => a.includes("react-server"))) {
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
const { setDatabase } = await import("@/lib/db/database");
const { seedRuns } = await import("@/lib/db/seed-runs");
const { createTestDatabase, postgresAvailable } = await import("@/lib/db/testing");
const { bootstrapAccounts } = await import("@/lib/auth/setup");

// The documented way in: an owner and its API token from AURA_OWNER_* / AURA_BOOTSTRAP_TOKEN at first start.
const BENCH_TOKEN = "aura_bench_bootstrap_token_0123456789abcdef";
async function createOwner(db: Parameters<typeof bootstrapAccounts>[0]) {
  Object.assign(process.env, { AURA_OWNER_EMAIL: "bench@aura.test", AURA_OWNER_PASSWORD: "bench-owner-password", AURA_BOOTSTRAP_TOKEN: BENCH_TOKEN });
  await bootstrapAccounts(db, () => {});
}
const runsRoute = await import("@/app/api/runs/route");
const statsRoute = await import("@/app/api/stats/overview/route");
const deadLettersRoute = await import("@/app/api/dead-letters/route");

const COUNT = Number(process.argv[2] ?? 100_000);
const TARGET_MS = 50;
const REPEAT = 41;
const NEWEST = Date.now();
const SPACING = 15_000;
const workflows = Array.from({ length: 20 }, (_, i) => ({ id: `wf_bench_${i}`, name: `Bench workflow ${i}` }));

async function time(path: string, route: { GET: (r: Request) => Promise<Response> }): Promise<{ median: number; p95: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    const res = await route.GET(new Request(`http://bench${path}`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } }));
    const body = JSON.parse(await res.text());
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    rows = body.runs?.length ?? body.series?.length ?? 0;
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], rows };
}

async function bench(provider: "sqlite" | "postgresql") {
  let t: TestDatabase | null = null;
  try {
    t = await createTestDatabase(provider);
    setDatabase(t.db);
    await createOwner(t.db);
    const s0 = performance.now();
    await seedRuns(t.db, { count: COUNT, workflows, newestAt: NEWEST, spacingMs: SPACING });
    if (provider === "postgresql") await t.db.prisma.$executeRawUnsafe(`ANALYZE "Run"`);
    else await t.db.prisma.$queryRawUnsafe(`ANALYZE`);
    console.log(`\n${provider}: seeded ${COUNT.toLocaleString()} runs in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
    // A deep cursor: the middle of the history (keyset pagination does not slow down with depth).
    const deepCursor = Buffer.from(`${new Date(NEWEST - Math.floor(COUNT / 2) * SPACING).toISOString()}|run_seed_~`).toString("base64url");
    const day = NEWEST - 86_400_000;
    const queries: [string, string][] = [
      ["first page, no filter", "/api/runs?limit=50"],
      ["status=failed", "/api/runs?status=failed&limit=50"],
      ["status=failed,cancelled & trigger=api", "/api/runs?status=failed,cancelled&trigger=api&limit=50"],
      ["workflowId & status=succeeded", `/api/runs?workflowId=wf_bench_7&status=succeeded&limit=50`],
      ["time range (last 24 h) & status=failed", `/api/runs?from=${day}&status=failed&limit=50`],
      ["search: workflow name", "/api/runs?q=workflow%2012&limit=50"],
      ["search: run id prefix", "/api/runs?q=run_seed_0500&limit=50"],
      ["rare status (waiting)", "/api/runs?status=waiting&limit=50"],
      ["deep cursor (mid-history)", `/api/runs?limit=50&cursor=${deepCursor}`],
      ["dead letters", "/api/dead-letters?limit=50"],
    ];
    console.log(`${"query".padEnd(44)} ${"median".padStart(9)} ${"p95".padStart(9)} ${"rows".padStart(5)}  ratio to ${TARGET_MS} ms`);
    for (const [label, path] of queries) {
      const route = path.startsWith("/api/dead-letters") ? deadLettersRoute : runsRoute;
      const r = await time(path, route);
      console.log(
        `${label.padEnd(44)} ${`${r.median.toFixed(1)} ms`.padStart(9)} ${`${r.p95.toFixed(1)} ms`.padStart(9)} ${String(r.rows).padStart(5)}  ${(r.median / TARGET_MS).toFixed(2)}`,
      );
    }
    const ov = await time(`/api/stats/overview?from=${day}&to=${NEWEST + 1}`, statsRoute);
    console.log(
      `${"overview (24 h window, ~5,800 runs)".padEnd(44)} ${`${ov.median.toFixed(1)} ms`.padStart(9)} ${`${ov.p95.toFixed(1)} ms`.padStart(9)} ${String(ov.rows).padStart(5)}  (no target)`,
    );
    const ov7 = await time(`/api/stats/overview?from=${NEWEST - 7 * 86_400_000}&to=${NEWEST + 1}`, statsRoute);
    console.log(
      `${"overview (7 d window, ~40,000 runs)".padEnd(44)} ${`${ov7.median.toFixed(1)} ms`.padStart(9)} ${`${ov7.p95.toFixed(1)} ms`.padStart(9)} ${String(ov7.rows).padStart(5)}  (no target)`,
    );
  } finally {
    setDatabase(null);
    await t?.drop();
  }
}

await bench("sqlite");
if (await postgresAvailable()) await bench("postgresql");
else console.log("\npostgresql: not reachable, skipped");
process.exit(0);
