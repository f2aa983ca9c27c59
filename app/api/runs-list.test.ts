// The runs list API over a large history: keyset pagination and every filter, checked against exact
// counts on 10,000 seeded runs, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/lib/db/database";
import { bootstrapTestOwner, req } from "@/test/api-harness";
import { seedRuns, type SeededRunFacts } from "@/lib/db/seed-runs";
import { createTestDatabase, testProviders, type TestDatabase } from "@/lib/db/testing";
import * as runsRoute from "./runs/route";
import * as deadLettersRoute from "./dead-letters/route";

const N = 10_000;
const NEWEST = Date.parse("2026-06-01T12:00:00Z");
const SPACING = 60_000; // one run a minute: ~7 days of history
const workflows = [
  { id: "wf_billing", name: "Billing reconciliation" },
  { id: "wf_support", name: "Support triage" },
  { id: "wf_research", name: "Research assistant" },
];

const get = async (path: string, route: { GET: (r: Request) => Promise<Response> } = runsRoute) => {
  const res = await route.GET(req(path));
  return { status: res.status, body: JSON.parse(await res.text()) };
};

/** Follows nextCursor to the end; returns every run in order. */
async function walk(path: string, route = runsRoute) {
  const all: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const { status, body } = await get(`${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`, route);
    expect(status, JSON.stringify(body)).toBe(200);
    all.push(...body.runs);
    cursor = body.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return all;
}

function expectNewestFirst(runs: any[]) {
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i - 1];
    const b = runs[i];
    expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id), `${a.id} before ${b.id}`).toBe(true);
  }
}

const providers = await testProviders();

describe.each(providers)("runs list API with 10,000 runs on %s", (provider) => {
  let t: TestDatabase;
  let facts: SeededRunFacts;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    setDatabase(t.db);
    await bootstrapTestOwner(t.db);
    const started = performance.now();
    facts = await seedRuns(t.db, { count: N, workflows, newestAt: NEWEST, spacingMs: SPACING });
    console.log(`[${provider}] seeded ${N} runs in ${Math.round(performance.now() - started)} ms`);
  }, 120_000);
  afterAll(async () => {
    setDatabase(null);
    await t?.drop();
  });

  it("pages through every run exactly once, newest first", async () => {
    const all = await walk("/api/runs?limit=200");
    expect(all).toHaveLength(N);
    expect(new Set(all.map((r) => r.id)).size).toBe(N);
    expectNewestFirst(all);
    expect(Date.parse(all[0].createdAt)).toBe(NEWEST);
    expect(all[0]).toMatchObject({ workflowId: expect.any(String), tokens: { input: expect.any(Number), output: expect.any(Number) } });
  });

  it("filters by status, several statuses, trigger and workflow with exact counts", async () => {
    const failed = await walk("/api/runs?status=failed&limit=200");
    expect(failed).toHaveLength(facts.byStatus.failed);
    expect(failed.every((r) => r.status === "failed" && r.error)).toBe(true);
    const done = await walk("/api/runs?status=failed,cancelled&limit=200");
    expect(done).toHaveLength(facts.byStatus.failed + facts.byStatus.cancelled);
    expectNewestFirst(done);
    const hooks = await walk("/api/runs?trigger=webhook,schedule&limit=200");
    expect(hooks).toHaveLength(facts.byTrigger.webhook + facts.byTrigger.schedule);
    const billing = await walk("/api/runs?workflowId=wf_billing&limit=200");
    expect(billing).toHaveLength(facts.byWorkflow.wf_billing);
    // Combined: compare with a direct count.
    const combined = await walk("/api/runs?workflowId=wf_support&status=succeeded&trigger=api&limit=100");
    const expected = await t.db.prisma.run.count({ where: { workflowId: "wf_support", status: "succeeded", trigger: "api" } });
    expect(combined).toHaveLength(expected);
    expect(combined.every((r) => r.workflowId === "wf_support" && r.status === "succeeded" && r.trigger === "api")).toBe(true);
  });

  it("filters by time range [from, to) in ISO or epoch ms", async () => {
    const from = NEWEST - 999 * SPACING;
    const to = NEWEST - 99 * SPACING;
    const inRange = await walk(`/api/runs?from=${new Date(from).toISOString()}&to=${to}&limit=200`);
    expect(inRange).toHaveLength(900);
    expect(inRange.every((r) => Date.parse(r.createdAt) >= from && Date.parse(r.createdAt) < to)).toBe(true);
    const failedInRange = await walk(`/api/runs?from=${from}&to=${to}&status=failed&limit=50`);
    const expected = await t.db.prisma.run.count({ where: { status: "failed", createdAt: { gte: new Date(from), lt: new Date(to) } } });
    expect(failedInRange).toHaveLength(expected);
  });

  it("searches run ids by prefix and workflow names by substring", async () => {
    const byId = await walk("/api/runs?q=run_seed_0000");
    expect(byId.map((r) => r.id).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `run_seed_0000${i + 1}`));
    const one = await get("/api/runs?q=RUN_SEED_10000");
    expect(one.body.runs.map((r: any) => r.id)).toEqual(["run_seed_10000"]);
    const byName = await walk("/api/runs?q=TRIAGE&limit=200");
    expect(byName).toHaveLength(facts.byWorkflow.wf_support);
    const nameAndStatus = await walk("/api/runs?q=research&status=failed&limit=200");
    expect(nameAndStatus).toHaveLength(await t.db.prisma.run.count({ where: { workflowId: "wf_research", status: "failed" } }));
    const none = await get("/api/runs?q=no-such-workflow");
    expect(none.body).toEqual({ runs: [], nextCursor: null });
    // A name search that does not match the workflowId filter matches nothing.
    expect((await get("/api/runs?q=billing&workflowId=wf_support")).body.runs).toEqual([]);
  });

  it("lists dead letters (failed, not retried) with the same filters", async () => {
    const dead = await walk("/api/dead-letters?limit=200", deadLettersRoute);
    expect(dead).toHaveLength(facts.byStatus.failed);
    const deadBilling = await walk("/api/dead-letters?workflowId=wf_billing&trigger=api", deadLettersRoute);
    expect(deadBilling).toHaveLength(
      await t.db.prisma.run.count({ where: { workflowId: "wf_billing", status: "failed", trigger: "api", retriedByRunId: null } }),
    );
  });

  it("refuses bad filters with 400 and says why", async () => {
    for (const q of ["status=done", "trigger=email", "from=yesterday", "limit=0", "limit=201", "cursor=garbage"]) {
      const res = await get(`/api/runs?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.message.length, q).toBeGreaterThan(5);
    }
  });

  it("answers a filtered page quickly (reported, generous bound)", async () => {
    const times: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 25; i++) {
      const t0 = performance.now();
      const { body } = await get(`/api/runs?status=failed&trigger=api&limit=50${cursor ? `&cursor=${cursor}` : ""}`);
      times.push(performance.now() - t0);
      cursor = body.nextCursor;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`[${provider}] filtered page of 50 over ${N} runs: median ${median.toFixed(1)} ms`);
    expect(median).toBeLessThan(500);
  });
});
