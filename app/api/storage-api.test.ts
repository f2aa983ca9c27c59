// Storage API (GET /api/storage, POST /api/storage/prune) and time travel on a compacted run: real
// runs through the worker pool, then a retention pass through the route, on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { body, createWorkflow, ctx, req, startRun, waitForRun, useTestDatabase } from "@/test/api-harness";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import * as storageRoute from "./storage/route";
import * as pruneRoute from "./storage/prune/route";
import * as checkpointsRoute from "./runs/[id]/checkpoints/route";
import * as forkRoute from "./runs/[id]/fork/route";
import * as retryRoute from "./runs/[id]/retry/route";
import * as eventsRoute from "./runs/[id]/events/route";

// Runs here call a loopback HTTP server: the admin allows private targets (the SSRF guard refuses them otherwise).
process.env.AURA_HTTP_ALLOW_PRIVATE = "1";

// Compact every finished run at once; keep finished runs 14 days (the default).
process.env.AURA_COMPACT_AFTER_HOURS = "0";

const DAY = 86_400_000;
const chain = () =>
  buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "x" }] }],
      ["a", "template", { template: "A({{x}})" }],
      ["b", "template", { template: "B({{a}})" }],
      ["o", "output", { value: "{{b}}" }],
    ],
    ["start->a", "a->b", "b->o"],
  );

const providers = await testProviders();

describe.each(providers)("storage API on %s", (provider) => {
  const t = useTestDatabase(provider, { runs: true });

  it("prunes an old run, compacts a recent one (time travel then says so), and reports storage", async () => {
    const wf = await createWorkflow(chain());
    const old = await startRun(wf, { x: "old" });
    const recent = await startRun(wf, { x: "new" });
    await waitForRun(old, ["succeeded"]);
    await waitForRun(recent, ["succeeded"]);
    const db = t().db;
    await db.prisma.run.update({ where: { id: old }, data: { finishedAt: new Date(Date.now() - 20 * DAY), createdAt: new Date(Date.now() - 20 * DAY) } });
    expect((await checkpointsRoute.GET(req(`/api/runs/${recent}/checkpoints`), ctx({ id: recent }))).status).toBe(200);

    const res = await pruneRoute.POST(req("/api/storage/prune", { method: "POST" }));
    expect(res.status).toBe(200);
    const pass = await body(res);
    expect(pass).toMatchObject({ outcome: "done", runs: 1, byReason: { age: 1, count: 0 }, compactedRuns: 1 });
    expect(pass.compactedCheckpoints).toBeGreaterThan(0);
    expect(await db.prisma.run.findUnique({ where: { id: old } })).toBeNull();

    // The compacted run keeps its events; time travel and fork answer 410 with a plain reason.
    const events = await body(await eventsRoute.GET(req(`/api/runs/${recent}/events`), ctx({ id: recent })));
    expect(events.events.at(-1).type).toBe("run.finished");
    const cps = await checkpointsRoute.GET(req(`/api/runs/${recent}/checkpoints`), ctx({ id: recent }));
    expect(cps.status).toBe(410);
    expect((await body(cps)).error).toMatchObject({ code: "RUN_HISTORY_COMPACTED", message: expect.stringMatching(/step history .* was compacted/) });
    const f = await forkRoute.POST(req(`/api/runs/${recent}/fork`, { json: { checkpointId: "x" } }), ctx({ id: recent }));
    expect(f.status).toBe(410);

    const report = await body(await storageRoute.GET(req("/api/storage")));
    expect(report).toMatchObject({
      provider,
      runs: 1,
      enabled: true,
      configError: null,
      policy: { days: 14, maxRuns: 10_000, failedDays: 30 },
      auditPolicy: { days: 365, runStartDays: 30 },
      compactAfterHours: 0,
    });
    expect(report.databaseBytes).toBeGreaterThan(0);
    expect(report.tables.map((x: { table: string }) => x.table)).toEqual(expect.arrayContaining(["Run", "RunEvent"]));
    expect(report.tables.some((x: { table: string }) => /checkpoints$/.test(x.table))).toBe(true);
    expect(report.lastPass.summary).toMatchObject({ runs: 1, auditEntries: 0 });
  });

  it("retries a compacted dead letter from its failed node", async () => {
    let healthy = false;
    const server = createServer((_q, res) => res.writeHead(healthy ? 200 : 500, { "content-type": "text/plain" }).end(healthy ? "ok" : "down"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    try {
      const wf = await createWorkflow(
        buildWorkflow(
          [
            ["start", "start", { fields: [] }],
            ["a", "template", { template: "A" }],
            ["h", "http-request", { url, allowedHosts: ["127.0.0.1"] }],
            ["o", "output", { value: "{{h.body}}" }],
          ],
          ["start->a", "a->h", "h->o"],
        ),
      );
      const failed = await startRun(wf);
      expect(await waitForRun(failed, ["succeeded", "failed"])).toMatchObject({ status: "failed", error: { nodeId: "h" } });
      expect((await body(await pruneRoute.POST(req("/api/storage/prune", { method: "POST" })))).compactedRuns).toBe(1);
      expect((await t().db.prisma.run.findUnique({ where: { id: failed } }))?.compactedAt).not.toBeNull();
      healthy = true;
      const res = await retryRoute.POST(req(`/api/runs/${failed}/retry`, { method: "POST" }), ctx({ id: failed }));
      expect(res.status).toBe(202);
      const retry = (await body(res)).runId as string;
      expect(await waitForRun(retry, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "ok" });
      const started = (await body(await eventsRoute.GET(req(`/api/runs/${retry}/events`), ctx({ id: retry })))).events
        .filter((e: { type: string }) => e.type === "node.started")
        .map((e: { nodeId: string }) => e.nodeId);
      // Continued from the failed node: start and a did not run again.
      expect(started).toEqual(["h", "o"]);
    } finally {
      server.close();
    }
  });
});
