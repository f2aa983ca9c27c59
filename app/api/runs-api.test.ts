// Runs API tests: route handlers called with real Requests, runs executed by the real worker pool
// (worker threads + LangGraph checkpoints in the same database), on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { body, createWorkflow, ctx, getRun, req, startRun, waitForRun, useTestDatabase } from "@/test/api-harness";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";
import { listMemory } from "@/lib/db/memory";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow, type EdgeSpec, type NodeSpec } from "@/lib/engine/testing";
import { getRunManager } from "@/lib/server/runs/manager";
import * as workflows from "./workflows/route";
import * as startRoute from "./workflows/[id]/runs/route";
import * as triggersRoute from "./workflows/[id]/triggers/route";
import * as runsRoute from "./runs/route";
import * as runRoute from "./runs/[id]/route";
import * as eventsRoute from "./runs/[id]/events/route";
import * as cancelRoute from "./runs/[id]/cancel/route";
import * as resumeRoute from "./runs/[id]/resume/route";
import * as retryRoute from "./runs/[id]/retry/route";
import * as approvalRoute from "./runs/[id]/approvals/[nodeId]/route";
import * as deadLettersRoute from "./dead-letters/route";
import * as hookRoute from "./hooks/[workflowId]/[secret]/route";
import * as hookHeaderRoute from "./hooks/[workflowId]/route";

// HTTP request nodes here call a local endpoint on 127.0.0.1: the server admin's switch for private
// targets (lib/engine/net), set before the run workers start (they copy the environment).
process.env.AURA_HTTP_ALLOW_PRIVATE = "1";

const doc = (nodes: NodeSpec[], edges: EdgeSpec[], settings: Record<string, unknown> = {}) => buildWorkflow(nodes, edges, settings);

/** A local HTTP endpoint the workers call: fails while `healthy` is false; counts calls. */
function flakyEndpoint() {
  const state = { healthy: false, calls: 0, server: null as Server | null, url: "" };
  state.server = createServer((_q, res) => {
    state.calls++;
    res.writeHead(state.healthy ? 200 : 500, { "content-type": "text/plain" }).end(state.healthy ? "ok" : "down");
  });
  return new Promise<typeof state>((resolve) =>
    state.server!.listen(0, "127.0.0.1", () => {
      state.url = `http://127.0.0.1:${(state.server!.address() as AddressInfo).port}/x`;
      resolve(state);
    }),
  );
}

const providers = await testProviders();

describe.each(providers)("runs API on %s", (provider) => {
  const db = useTestDatabase(provider, { runs: true });

  it("runs a template to success with ordered, persisted events and per-node states", async () => {
    const template = JSON.parse(readFileSync(path.join(process.cwd(), "templates", "document-analysis.aura.json"), "utf8"));
    const wf = await createWorkflow(template);
    const runId = await startRun(wf, {
      documents: [
        { id: "d1", title: "A", text: "wonderful, happy result" },
        { id: "d2", title: "B", text: "bad and sad" },
      ],
      topic: "pilot",
    });
    expect(runId).toMatch(/^run_/);
    const run = await waitForRun(runId, ["succeeded", "failed"]);
    expect(run.status, JSON.stringify(run.error)).toBe("succeeded");
    expect(run.result).toMatch(/pilot/);
    expect(run.trigger).toBe("api");
    expect(run.startedAt && run.finishedAt).toBeTruthy();
    expect(Object.values(run.nodes).every((n: any) => n.status === "succeeded" || n.status === "skipped")).toBe(true);
    const ev = await body(await eventsRoute.GET(req(`/api/runs/${runId}/events?after=-1&limit=1000`), ctx({ id: runId })));
    expect(ev.events.map((e: any) => e.seq)).toEqual(ev.events.map((_: unknown, i: number) => i));
    expect(ev.events[0].type).toBe("run.queued");
    expect(ev.events[1].type).toBe("run.started");
    expect(ev.events.at(-1).type).toBe("run.finished");
    // The row's duration is the engine's: the dashboard and the run view show the same figure.
    expect(run.durationMs).toBe(ev.events.at(-1).durationMs);
    expect(new Date(run.finishedAt).getTime()).toBe(ev.events.at(-1).ts);
    expect(run.lastSeq).toBe(ev.events.at(-1).seq);
    const page = await body(await eventsRoute.GET(req(`/api/runs/${runId}/events?after=2&limit=3`), ctx({ id: runId })));
    expect(page.events.map((e: any) => e.seq)).toEqual([3, 4, 5]);
    expect(page.hasMore).toBe(true);
    // The workflow list shows the latest run's status.
    const listed = await body(await workflows.GET(req("/api/workflows")));
    expect(listed.workflows.find((w: any) => w.id === wf).lastRunStatus).toBe("succeeded");
  });

  it("refuses bad input (400 INPUT_INVALID), an invalid workflow (400 WORKFLOW_INVALID), unknown ids (404)", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "n", type: "number" }] }],
          ["o", "output", { value: "{{n}}" }],
        ],
        ["start->o"],
      ),
    );
    const bad = await startRoute.POST(req(`/api/workflows/${wf}/runs`, { json: { input: { n: "abc" } } }), ctx({ id: wf }));
    expect(bad.status).toBe(400);
    expect((await body(bad)).error).toMatchObject({ code: "INPUT_INVALID", issues: [{ path: "$.input.n" }] });
    const shape = await startRoute.POST(req(`/api/workflows/${wf}/runs`, { json: { input: [1] } }), ctx({ id: wf }));
    expect((await body(shape)).error.code).toBe("BAD_REQUEST");
    const broken = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["j", "join", {}],
          ["o", "output", {}],
        ],
        ["start->j", "j->o"],
      ),
    );
    const invalid = await startRoute.POST(req(`/api/workflows/${broken}/runs`, { json: {} }), ctx({ id: broken }));
    expect(invalid.status).toBe(400);
    const err = (await body(invalid)).error;
    expect(err.code).toBe("WORKFLOW_INVALID");
    expect(err.issues.length).toBeGreaterThan(0);
    expect((await startRoute.POST(req("/api/workflows/wf_nope/runs", { json: {} }), ctx({ id: "wf_nope" }))).status).toBe(404);
    expect((await runRoute.GET(req("/api/runs/run_nope"), ctx({ id: "run_nope" }))).status).toBe(404);
    expect((await runsRoute.GET(req("/api/runs?status=bogus"))).status).toBe(400);
  });

  it("queues runs beyond maxConcurrentRuns (FIFO, never more than the cap at once) and pages the run list", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["d", "delay", { ms: 250 }],
          ["o", "output", { value: "ok" }],
        ],
        ["start->d", "d->o"],
        { maxConcurrentRuns: 1 },
      ),
    );
    const ids = [await startRun(wf), await startRun(wf), await startRun(wf)];
    let maxRunning = 0;
    for (;;) {
      const { runs } = await body(await runsRoute.GET(req(`/api/runs?workflowId=${wf}&limit=10`)));
      maxRunning = Math.max(maxRunning, runs.filter((r: any) => r.status === "running").length);
      if (runs.every((r: any) => r.status === "succeeded")) break;
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(maxRunning).toBe(1);
    const runs = await Promise.all(ids.map(getRun));
    for (let i = 1; i < runs.length; i++) expect(Date.parse(runs[i].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1].finishedAt) - 5);
    const p1 = await body(await runsRoute.GET(req(`/api/runs?workflowId=${wf}&limit=2`)));
    expect(p1.runs.map((r: any) => r.id)).toEqual([ids[2], ids[1]]);
    const p2 = await body(await runsRoute.GET(req(`/api/runs?workflowId=${wf}&limit=2&cursor=${p1.nextCursor}`)));
    expect(p2.runs.map((r: any) => r.id)).toEqual([ids[0]]);
    expect(p2.nextCursor).toBeNull();
  });

  it("cancels a running run (AbortSignal), which can then be resumed", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["d", "delay", { ms: 1200 }],
          ["o", "output", { value: "done" }],
        ],
        ["start->d", "d->o"],
      ),
    );
    const runId = await startRun(wf);
    for (;;) {
      const r = await getRun(runId);
      if (r.nodes.d?.status === "running") break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const c = await cancelRoute.POST(req(`/api/runs/${runId}/cancel`, { method: "POST" }), ctx({ id: runId }));
    expect(c.status).toBe(202);
    const cancelled = await waitForRun(runId, ["cancelled", "succeeded", "failed"]);
    expect(cancelled.status).toBe("cancelled");
    expect((await cancelRoute.POST(req(`/api/runs/${runId}/cancel`, { method: "POST" }), ctx({ id: runId }))).status).toBe(409);
    expect((await resumeRoute.POST(req(`/api/runs/${runId}/resume`, { method: "POST" }), ctx({ id: runId }))).status).toBe(202);
    const done = await waitForRun(runId, ["succeeded", "failed"]);
    expect(done).toMatchObject({ status: "succeeded", result: "done" });
  });

  it("waits for a human approval and continues through the API", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "draft" }] }],
          ["ap", "human-approval", { instructions: "Check it", editableFields: ["draft"] }],
          ["send", "template", { template: "sent: {{draft}} ({{ap.comment}})" }],
          ["drop", "template", { template: "dropped" }],
          ["o", "output", { value: "{{send}}{{drop}}" }],
        ],
        ["start->ap", "ap->send:approved", "ap->drop:rejected", "send->o", "drop->o"],
      ),
    );
    const runId = await startRun(wf, { draft: "hi" });
    const waiting = await waitForRun(runId, ["waiting", "failed"]);
    expect(waiting.status).toBe("waiting");
    expect(waiting.waitingFor[0]).toMatchObject({ nodeId: "ap", instructions: "Check it", values: { draft: "hi" } });
    expect(waiting.nodes.ap.status).toBe("waiting");
    const wrong = await approvalRoute.POST(req(`/api/runs/${runId}/approvals/send`, { json: { approved: true } }), ctx({ id: runId, nodeId: "send" }));
    expect(wrong.status).toBe(409);
    const badBody = await approvalRoute.POST(req(`/api/runs/${runId}/approvals/ap`, { json: { approved: "yes" } }), ctx({ id: runId, nodeId: "ap" }));
    expect(badBody.status).toBe(400);
    const ok = await approvalRoute.POST(
      req(`/api/runs/${runId}/approvals/ap`, { json: { approved: true, comment: "lgtm", values: { draft: "hello" } } }),
      ctx({ id: runId, nodeId: "ap" }),
    );
    expect(ok.status).toBe(202);
    const done = await waitForRun(runId, ["succeeded", "failed"]);
    expect(done).toMatchObject({ status: "succeeded", result: "sent: hello (lgtm)" });
    expect(done.waitingFor).toEqual([]);
  });

  it("approvals in a Parallel map's branch are answered one item at a time, each by its interrupt id", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "items", type: "json" }] }],
          ["map", "parallel-map", { itemsFrom: "items", itemName: "item" }],
          ["ap", "human-approval", { instructions: "Ship {{item}}?" }],
          ["t", "template", { template: "{{item}}:{{ap.approved}}" }],
          ["j", "join", { outputKey: "all" }],
          ["o", "output", { value: "{{all}}" }],
        ],
        ["start->map", "map->ap:each", "ap->t:approved", "ap->t:rejected", "t->j", "j->o"],
      ),
    );
    const runId = await startRun(wf, { items: ["a", "b"] });
    const waiting = await waitForRun(runId, ["waiting", "failed"]);
    expect(waiting.waitingFor.map((w: any) => w.instructions).sort()).toEqual(["Ship a?", "Ship b?"]);
    const b = waiting.waitingFor.find((w: any) => w.instructions === "Ship b?");
    const answer = (json: unknown) => approvalRoute.POST(req(`/api/runs/${runId}/approvals/ap`, { json }), ctx({ id: runId, nodeId: "ap" }));
    expect((await answer({ approved: true, interruptId: "nope" })).status).toBe(409);
    // Reject b by its id: a, listed first, is not the one answered.
    expect((await answer({ approved: false, interruptId: b.interruptId })).status).toBe(202);
    const still = await waitForRun(runId, ["waiting", "failed"]);
    expect(still.waitingFor.map((w: any) => w.instructions)).toEqual(["Ship a?"]);
    expect((await answer({ approved: false, interruptId: b.interruptId })).status).toBe(409);
    expect((await answer({ approved: true, interruptId: still.waitingFor[0].interruptId })).status).toBe(202);
    const done = await waitForRun(runId, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect([...done.result].sort()).toEqual(["a:true", "b:false"]);
  });

  it("an approval nobody answers within its timeout is rejected and the run goes on", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["ap", "human-approval", { instructions: "Quick", timeoutMs: 300 }],
          ["yes", "template", { template: "approved" }],
          ["no", "template", { template: "rejected: {{ap.comment}}" }],
          ["o", "output", { value: "{{yes}}{{no}}" }],
        ],
        ["start->ap", "ap->yes:approved", "ap->no:rejected", "yes->o", "no->o"],
      ),
    );
    const runId = await startRun(wf);
    expect((await waitForRun(runId, ["waiting", "failed"])).status).toBe("waiting");
    expect(await getRunManager().expireOverdueApprovals(Date.now())).toBe(0); // not due yet
    await new Promise((r) => setTimeout(r, 350));
    expect(await getRunManager().expireOverdueApprovals(Date.now())).toBe(1);
    const done = await waitForRun(runId, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.result).toMatch(/^rejected: No decision within 0 s/);
  });

  it("resumes a failed run from the failed node without re-running what succeeded; dead letter + retry", async () => {
    const ep = await flakyEndpoint();
    try {
      const wf = await createWorkflow(
        doc(
          [
            ["start", "start", { fields: [] }],
            ["a", "memory-store", { namespace: "fx", content: "a ran" }],
            ["h", "http-request", { url: ep.url, allowedHosts: ["127.0.0.1"] }],
            ["o", "output", { value: "{{h.body}}" }],
          ],
          ["start->a", "a->h", "h->o"],
        ),
      );
      // Resume (same run).
      const r1 = await startRun(wf);
      const failed = await waitForRun(r1, ["failed", "succeeded"]);
      expect(failed).toMatchObject({ status: "failed", error: { code: "HTTP_500", nodeId: "h" } });
      expect(failed.nodes).toMatchObject({ a: { status: "succeeded" }, h: { status: "failed" } });
      const dl = await body(await deadLettersRoute.GET(req(`/api/dead-letters?workflowId=${wf}`)));
      expect(dl.runs.map((r: any) => r.id)).toEqual([r1]);
      ep.healthy = true;
      expect((await resumeRoute.POST(req(`/api/runs/${r1}/resume`, { method: "POST" }), ctx({ id: r1 }))).status).toBe(202);
      expect(await waitForRun(r1, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "ok", error: null });
      expect((await listMemory(db().db, "ws_default", "fx")).map((m) => m.content)).toEqual(["a ran"]);
      const started = (await body(await eventsRoute.GET(req(`/api/runs/${r1}/events`), ctx({ id: r1 })))).events
        .filter((e: any) => e.type === "node.started")
        .map((e: any) => e.nodeId);
      expect(started).toEqual(["start", "a", "h", "h", "o"]);

      // Retry (a new run on the failed run's thread).
      ep.healthy = false;
      const r2 = await startRun(wf);
      await waitForRun(r2, ["failed"]);
      expect((await body(await deadLettersRoute.GET(req(`/api/dead-letters?workflowId=${wf}`)))).runs.map((r: any) => r.id)).toEqual([r2]);
      ep.healthy = true;
      const retried = await retryRoute.POST(req(`/api/runs/${r2}/retry`, { method: "POST" }), ctx({ id: r2 }));
      expect(retried.status).toBe(202);
      const child = (await body(retried)).runId;
      expect(child).not.toBe(r2);
      expect(await waitForRun(child, ["succeeded", "failed"])).toMatchObject({
        status: "succeeded",
        result: "ok",
        trigger: "retry",
        attempt: 2,
        parentRunId: r2,
      });
      expect((await getRun(r2)).retriedByRunId).toBe(child);
      expect((await body(await deadLettersRoute.GET(req(`/api/dead-letters?workflowId=${wf}`)))).runs).toEqual([]);
      expect((await retryRoute.POST(req(`/api/runs/${r2}/retry`, { method: "POST" }), ctx({ id: r2 }))).status).toBe(409);
      expect((await listMemory(db().db, "ws_default", "fx")).length).toBe(2); // one per original run, none re-run
    } finally {
      ep.server?.close();
    }
  });

  it("starts runs from a webhook with the right secret only, and from a cron schedule", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "who" }] }],
          ["o", "output", { value: "hi {{who}}" }],
        ],
        ["start->o"],
      ),
    );
    const put = await triggersRoute.PUT(
      req(`/api/workflows/${wf}/triggers`, { method: "PUT", json: { triggers: [{ kind: "webhook", input: { who: "default" } }] } }),
      ctx({ id: wf }),
    );
    expect(put.status).toBe(200);
    const [hook] = (await body(put)).triggers;
    expect(hook.url).toBe(`/api/hooks/${wf}/${hook.secret}`);
    const okRes = await hookRoute.POST(req(hook.url, { json: { who: "hook" } }), ctx({ workflowId: wf, secret: hook.secret }));
    expect(okRes.status).toBe(202);
    const viaHook = await waitForRun((await body(okRes)).runId, ["succeeded", "failed"]);
    expect(viaHook).toMatchObject({ status: "succeeded", result: "hi hook", trigger: "webhook" });
    const wrong = await hookRoute.POST(req(`/api/hooks/${wf}/nope`, { json: {} }), ctx({ workflowId: wf, secret: "nope" }));
    expect(wrong.status).toBe(403);
    expect((await body(wrong)).error.code).toBe("FORBIDDEN");
    const header = await hookHeaderRoute.POST(
      req(`/api/hooks/${wf}`, { method: "POST", headers: { "x-aura-webhook-secret": hook.secret } }),
      ctx({ workflowId: wf }),
    );
    expect(header.status).toBe(202);
    expect(await waitForRun((await body(header)).runId, ["succeeded"])).toMatchObject({ result: "hi default" });
    expect((await hookHeaderRoute.POST(req(`/api/hooks/${wf}`, { method: "POST" }), ctx({ workflowId: wf }))).status).toBe(403);

    const badCron = await triggersRoute.PUT(
      req(`/api/workflows/${wf}/triggers`, { method: "PUT", json: { triggers: [{ kind: "schedule", cron: "every day" }] } }),
      ctx({ id: wf }),
    );
    expect(badCron.status).toBe(400);
    const sched = await triggersRoute.PUT(
      req(`/api/workflows/${wf}/triggers`, {
        method: "PUT",
        json: {
          triggers: [
            { id: hook.id, kind: "webhook" },
            { kind: "schedule", cron: "* * * * * *", input: { who: "cron" } },
          ],
        },
      }),
      ctx({ id: wf }),
    );
    const views = (await body(sched)).triggers;
    expect(views.find((v: any) => v.kind === "webhook").secret).toBe(hook.secret); // kept
    expect(views.find((v: any) => v.kind === "schedule").nextRunAt).toBeTruthy();
    const until = Date.now() + 5000;
    let cronRun: any;
    while (!cronRun && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      cronRun = (await body(await runsRoute.GET(req(`/api/runs?workflowId=${wf}`)))).runs.find((r: any) => r.trigger === "schedule");
    }
    expect(cronRun).toBeTruthy();
    await triggersRoute.PUT(req(`/api/workflows/${wf}/triggers`, { method: "PUT", json: { triggers: [] } }), ctx({ id: wf }));
    expect(await waitForRun(cronRun.id, ["succeeded"])).toMatchObject({ result: "hi cron" });
  });
});
