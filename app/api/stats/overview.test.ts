// GET /api/stats/overview: aggregates computed by the database, checked against direct counts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/lib/db/database";
import { bootstrapTestOwner, req } from "@/test/api-harness";
import { seedRuns } from "@/lib/db/seed-runs";
import { createTestDatabase, testProviders, type TestDatabase } from "@/lib/db/testing";
import { histogramPercentile } from "@/lib/server/stats";
import * as overviewRoute from "./overview/route";

const NEWEST = Date.parse("2026-06-01T12:00:00Z");
const workflows = [
  { id: "wf_a", name: "Alpha" },
  { id: "wf_b", name: "Beta" },
];
const get = async (q: string) => {
  const res = await overviewRoute.GET(req(`/api/stats/overview?${q}`));
  return { status: res.status, body: JSON.parse(await res.text()) };
};

describe("histogramPercentile", () => {
  it("interpolates inside the bin and handles empty input", () => {
    expect(histogramPercentile([], 0.5)).toBeNull();
    expect(histogramPercentile([0, 10], 0.5)).toBe(175); // bin 1 is (100, 250]: half-way
    expect(histogramPercentile([10], 0.95)).toBe(95);
  });
  it("stays within the durations actually seen", () => {
    // One run of 92 ms is in bin 0 of (0, 100]: p50 and p95 are 92, not 50 and 95.
    expect(histogramPercentile([1], 0.5, { min: 92, max: 92 })).toBe(92);
    expect(histogramPercentile([1], 0.95, { min: 92, max: 92 })).toBe(92);
    expect(histogramPercentile([0, 2], 0.5, { min: 120, max: 130 })).toBe(130);
    expect(histogramPercentile([0, 10], 0.5, { min: 101, max: 249 })).toBe(175);
  });
});

const providers = await testProviders();

describe.each(providers)("stats overview on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    setDatabase(t.db);
    await bootstrapTestOwner(t.db);
    await seedRuns(t.db, { count: 2000, workflows, newestAt: NEWEST, spacingMs: 30_000 });
    // Node events: failures of two nodes and model usage.
    const at = new Date(NEWEST - 3_600_000);
    const ev = (runId: string, seq: number, e: Record<string, unknown>) => ({
      runId,
      seq,
      type: String(e.type),
      payload: JSON.stringify({ runId, seq, ts: at.getTime(), ...e }),
      createdAt: at,
    });
    await t.db.prisma.runEvent.createMany({
      data: [
        ev("run_seed_2000", 0, {
          type: "node.failed",
          nodeId: "transform",
          kind: "transform",
          attempt: 1,
          durationMs: 5,
          error: { code: "TRANSFORM_ERROR", message: "x" },
          handled: false,
        }),
        ev("run_seed_2000", 1, {
          type: "node.failed",
          nodeId: "transform",
          kind: "transform",
          attempt: 2,
          durationMs: 5,
          error: { code: "TRANSFORM_ERROR", message: "x" },
          handled: false,
        }),
        ev("run_seed_1999", 0, {
          type: "node.failed",
          nodeId: "transform",
          kind: "transform",
          attempt: 1,
          durationMs: 5,
          error: { code: "TRANSFORM_ERROR", message: "x" },
          handled: true,
        }),
        ev("run_seed_1999", 1, {
          type: "node.failed",
          nodeId: "fetch",
          kind: "http",
          attempt: 1,
          durationMs: 5,
          error: { code: "HTTP_ERROR", message: "x" },
          handled: false,
        }),
        ev("run_seed_1998", 0, {
          type: "node.finished",
          nodeId: "agent",
          kind: "agent",
          attempt: 1,
          durationMs: 5,
          model: "simulated-small",
          tokens: { input: 100, output: 50 },
          costUsd: 0.25,
        }),
        ev("run_seed_1998", 1, {
          type: "node.finished",
          nodeId: "agent2",
          kind: "agent",
          attempt: 1,
          durationMs: 5,
          model: "simulated-small",
          tokens: { input: 10, output: 5 },
          costUsd: 0.05,
        }),
        ev("run_seed_1997", 0, {
          type: "node.finished",
          nodeId: "agent",
          kind: "agent",
          attempt: 1,
          durationMs: 5,
          model: "gpt-x",
          tokens: { input: 1, output: 1 },
          costUsd: 0.01,
        }),
      ],
    });
  }, 60_000);
  afterAll(async () => {
    setDatabase(null);
    await t?.drop();
  });

  it("counts, series and totals match the rows", async () => {
    const from = new Date(NEWEST - 6 * 3_600_000).toISOString();
    const to = new Date(NEWEST + 1).toISOString();
    const { status, body } = await get(`from=${from}&to=${to}&bucket=1h`);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.bucketMs).toBe(3_600_000);
    expect(body.series).toHaveLength(7);
    const inWindow = { createdAt: { gte: new Date(from), lt: new Date(to) } };
    for (const s of ["succeeded", "failed", "cancelled"]) expect(body.counts[s], s).toBe(await t.db.prisma.run.count({ where: { status: s, ...inWindow } }));
    for (const s of ["queued", "running", "waiting"]) expect(body.counts[s], s).toBe(await t.db.prisma.run.count({ where: { status: s } }));
    const started = body.series.reduce((a: number, p: any) => a + p.started, 0);
    expect(started).toBe(await t.db.prisma.run.count({ where: inWindow }));
    const finishedWindow = { finishedAt: { gte: new Date(from), lt: new Date(to) } };
    const failed = body.series.reduce((a: number, p: any) => a + p.failed, 0);
    expect(failed).toBe(await t.db.prisma.run.count({ where: { status: "failed", ...finishedWindow } }));
    expect(body.totals.failureRate).toBeGreaterThan(0);
    expect(body.totals.failureRate).toBeLessThan(0.5);
    // p50 within a factor of the exact median (interpolated inside histogram bins).
    const done = await t.db.prisma.run.findMany({
      where: { status: { in: ["succeeded", "failed"] }, ...finishedWindow },
      select: { startedAt: true, finishedAt: true },
    });
    const d = done.map((r) => r.finishedAt!.getTime() - r.startedAt!.getTime()).sort((a, b) => a - b);
    const exact = d[Math.floor(d.length / 2)];
    expect(body.totals.p50Ms).toBeGreaterThan(exact / 2.6);
    expect(body.totals.p50Ms).toBeLessThan(exact * 2.6);
    expect(body.totals.p95Ms).toBeGreaterThanOrEqual(body.totals.p50Ms);
    const usage = await t.db.prisma.run.aggregate({ where: inWindow, _sum: { tokensInput: true, costUsd: true } });
    expect(body.totals.tokensInput).toBe(usage._sum.tokensInput);
    expect(body.totals.costUsd).toBeCloseTo(usage._sum.costUsd!, 5);
    expect(body.byWorkflow.map((u: any) => u.label).sort()).toEqual(["Alpha", "Beta"]);
    expect(body.approvals.total).toBe(body.counts.waiting);
  });

  it("ranks failing nodes and sums usage by model from node events", async () => {
    const { body } = await get(`from=${NEWEST - 86_400_000}&to=${NEWEST + 1}`);
    expect(body.failingNodes[0]).toMatchObject({ nodeId: "transform", kind: "transform", failures: 3, handled: 1, runs: 2, lastErrorCode: "TRANSFORM_ERROR" });
    expect(body.failingNodes[1]).toMatchObject({ nodeId: "fetch", failures: 1 });
    const small = body.byModel.find((m: any) => m.key === "simulated-small");
    expect(small).toMatchObject({ runs: 1, tokensInput: 110, tokensOutput: 55 });
    expect(small.costUsd).toBeCloseTo(0.3, 6);
    expect(body.byModel[0].key).toBe("simulated-small");
  });

  it("filters by workflow and refuses bad windows", async () => {
    const { body } = await get(`from=${NEWEST - 86_400_000}&to=${NEWEST + 1}&workflowId=wf_a`);
    expect(body.byWorkflow.map((u: any) => u.key)).toEqual(["wf_a"]);
    expect((await get(`from=${NEWEST}&to=${NEWEST - 1}`)).status).toBe(400);
    expect((await get(`from=0&to=${NEWEST}&bucket=1m`)).status).toBe(400);
    expect((await get(`bucket=soon`)).status).toBe(400);
  });
});
