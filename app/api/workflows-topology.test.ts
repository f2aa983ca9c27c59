// GET /api/workflows/:id/topology?runs=N: analyzeTopology over the observed stats of real runs
// (executed by the worker pool), on SQLite and PostgreSQL; runNodeRecords from node events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase } from "@/lib/db/database";
import { bootstrapTestOwner, req as harnessReq } from "@/test/api-harness";
import { createTestDatabase, testProviders, type TestDatabase } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import type { RunEvent } from "@/lib/contracts/events";
import { shutdownRunManager } from "@/lib/server/runs";
import { runNodeRecords } from "@/lib/server/topology-stats";
import * as workflows from "./workflows/route";
import * as startRoute from "./workflows/[id]/runs/route";
import * as runRoute from "./runs/[id]/route";
import * as topologyRoute from "./workflows/[id]/topology/route";

const req = (p: string, json?: unknown) => harnessReq(p, json === undefined ? {} : { json });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const body = async (res: Response) => JSON.parse(await res.text());

const doc = buildWorkflow(
  [
    ["start", "start", { fields: [] }],
    ["slow", "delay", { ms: 200 }],
    ["fast", "delay", { ms: 1 }],
    ["o", "output", { value: "ok" }],
  ],
  ["start->slow", "slow->fast", "fast->o"],
);

describe("runNodeRecords", () => {
  it("turns node events into per-attempt records with edges taken; unfinished attempts are cancelled", () => {
    const e = (seq: number, ts: number, v: Record<string, unknown>) => ({ runId: "r", seq, ts, ...v }) as RunEvent;
    const records = runNodeRecords(
      doc,
      new Map([
        [
          "r",
          [
            e(0, 1000, { type: "node.started", nodeId: "slow", kind: "delay", attempt: 1 }),
            e(1, 1200, { type: "node.finished", nodeId: "slow", kind: "delay", attempt: 1, durationMs: 200 }),
            e(2, 1201, { type: "node.started", nodeId: "fast", kind: "delay", attempt: 1 }),
            e(3, 1300, { type: "node.failed", nodeId: "fast", kind: "delay", attempt: 1, durationMs: 99, error: { code: "X", message: "x" }, handled: false }),
            e(4, 1301, { type: "node.started", nodeId: "fast", kind: "delay", attempt: 2 }),
            e(5, 1302, { type: "node.finished", nodeId: "inner", kind: "delay", attempt: 1, durationMs: 1, scope: ["sub"] }),
            e(6, 1400, { type: "run.cancelled", durationMs: 400 }),
          ],
        ],
      ]),
    );
    expect(records).toEqual([
      expect.objectContaining({ nodeId: "slow", status: "succeeded", startedAt: 1000, finishedAt: 1200, edgesTaken: ["e1"] }),
      expect.objectContaining({ nodeId: "fast", status: "failed", attempt: 1, startedAt: 1201, finishedAt: 1300, edgesTaken: [] }),
      expect.objectContaining({ nodeId: "fast", status: "cancelled", attempt: 2, startedAt: 1301, finishedAt: 1400 }),
    ]);
  });
});

const providers = await testProviders();

describe.each(providers)("workflow topology API on %s", (provider) => {
  let t: TestDatabase;
  let wf: string;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    setDatabase(t.db);
    await bootstrapTestOwner(t.db);
    const res = await workflows.POST(req("/api/workflows", { document: doc }));
    wf = (await body(res)).id;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await body(await startRoute.POST(req(`/api/workflows/${wf}/runs`, { input: {} }), ctx(wf)))).runId);
    const until = Date.now() + 30_000;
    for (const id of ids) {
      for (;;) {
        const run = await body(await runRoute.GET(req(`/api/runs/${id}`), ctx(id)));
        if (run.status === "succeeded") break;
        if (run.status === "failed" || Date.now() > until) throw new Error(`run ${id}: ${run.status} ${JSON.stringify(run.error)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }, 60_000);
  afterAll(async () => {
    await shutdownRunManager();
    setDatabase(null);
    await t?.drop();
  });

  it("reports the observed slow node as the top bottleneck", async () => {
    const res = await topologyRoute.GET(req(`/api/workflows/${wf}/topology?runs=10`), ctx(wf));
    expect(res.status).toBe(200);
    const report = await body(res);
    expect(report.reportVersion).toBe(1);
    expect(report.observed).toMatchObject({ runs: 3, version: 1 });
    const slow = report.nodes.find((n: any) => n.id === "slow");
    expect(slow.metrics.observed.runs).toBe(3);
    expect(slow.metrics.observed.p50Ms).toBeGreaterThanOrEqual(150);
    expect(report.bottlenecks[0]).toMatchObject({ type: "node", id: "slow" });
    const limited = await body(await topologyRoute.GET(req(`/api/workflows/${wf}/topology?runs=1`), ctx(wf)));
    expect(limited.observed.runs).toBe(1);
    const before = await body(await topologyRoute.GET(req(`/api/workflows/${wf}/topology?before=0`), ctx(wf)));
    expect(before.observed).toMatchObject({ runs: 0, from: null });
  });

  it("view=stats answers the observed stats alone, which the editor's worker analyses", async () => {
    const res = await body(await topologyRoute.GET(req(`/api/workflows/${wf}/topology?runs=10&view=stats`), ctx(wf)));
    expect(res.nodes).toBeUndefined();
    expect(res.observed).toMatchObject({ runs: 3, version: 1 });
    expect(res.stats.runs).toBe(3);
    expect(res.stats.nodes.slow.latencyMs.p50).toBeGreaterThanOrEqual(150);
    expect((await topologyRoute.GET(req(`/api/workflows/${wf}/topology?view=all`), ctx(wf))).status).toBe(400);
  });

  it("answers 404 for an unknown workflow and 400 for a bad runs value", async () => {
    expect((await topologyRoute.GET(req("/api/workflows/wf_nope/topology"), ctx("wf_nope"))).status).toBe(404);
    expect((await topologyRoute.GET(req(`/api/workflows/${wf}/topology?runs=0`), ctx(wf))).status).toBe(400);
  });
});
