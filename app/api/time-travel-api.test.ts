// Time-travel API tests (GET /api/runs/:id/checkpoints, POST /api/runs/:id/fork): route handlers called
// with real Requests, runs executed by the real worker pool with LangGraph checkpoints in the same
// database, on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { body, createWorkflow, ctx, getRun, req, startRun, waitForRun, useTestDatabase } from "@/test/api-harness";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow, type EdgeSpec, type NodeSpec } from "@/lib/engine/testing";
import * as eventsRoute from "./runs/[id]/events/route";
import * as approvalRoute from "./runs/[id]/approvals/[nodeId]/route";
import * as checkpointsRoute from "./runs/[id]/checkpoints/route";
import * as forkRoute from "./runs/[id]/fork/route";

const checkpoints = async (id: string) => {
  const res = await checkpointsRoute.GET(req(`/api/runs/${id}/checkpoints`), ctx({ id }));
  return { status: res.status, body: await body(res) };
};
const fork = (id: string, json: unknown) => forkRoute.POST(req(`/api/runs/${id}/fork`, { json }), ctx({ id }));
const startedNodes = async (id: string) =>
  (await body(await eventsRoute.GET(req(`/api/runs/${id}/events`), ctx({ id })))).events
    .filter((e: any) => e.type === "node.started")
    .map((e: any) => e.nodeId);
// One checkpoint per node (settings.checkpointEachStep): time travel at every step. By default a straight run of
// pure steps shares one checkpoint (lib/engine/fused-chain.ts).
const doc = (nodes: NodeSpec[], edges: EdgeSpec[]) => buildWorkflow(nodes, edges, { checkpointEachStep: true });

// start → a → b → o, each template reading the previous one.
const chain = () =>
  doc(
    [
      ["start", "start", { fields: [{ name: "x" }] }],
      ["a", "template", { template: "A({{x}})" }],
      ["b", "template", { template: "B({{a}})" }],
      ["o", "output", { value: "{{b}}" }],
    ],
    ["start->a", "a->b", "b->o"],
  );

/** The same chain with the default checkpoints (a fused chain, see lib/engine/fused-chain.ts). */
const fusedChain = () => ({ ...chain(), settings: { ...chain().settings, checkpointEachStep: undefined } });

const providers = await testProviders();

describe.each(providers)("time-travel API on %s", (provider) => {
  useTestDatabase(provider, { runs: true });

  it("lists a finished run's checkpoints oldest first with the nodes that ran, the next ones and the state", async () => {
    const wf = await createWorkflow(chain());
    const runId = await startRun(wf, { x: "hi" });
    expect(await waitForRun(runId, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "B(A(hi))" });
    const { status, body: list } = await checkpoints(runId);
    expect(status).toBe(200);
    expect(list).toMatchObject({ runId, threadId: runId, truncated: false, forkedFrom: null, forks: [] });
    const cps = list.checkpoints;
    expect(cps.map((c: any) => c.step)).toEqual([-1, 0, 1, 2, 3, 4]);
    expect(cps[0]).toMatchObject({ source: "input", parentId: null, ran: [], next: [] });
    expect(cps.map((c: any) => c.ran)).toEqual([[], [], ["start"], ["a"], ["b"], ["o"]]);
    expect(cps.map((c: any) => c.next)).toEqual([[], ["start"], ["a"], ["b"], ["o"], []]);
    expect(cps[3].values).toEqual({ x: "hi", a: "A(hi)" });
    expect(cps.at(-1).values).toMatchObject({ x: "hi", a: "A(hi)", b: "B(A(hi))" });
    expect(Object.keys(cps.at(-1).values).some((k) => k.startsWith("__"))).toBe(false);
    expect(cps.every((c: any, i: number) => i === 0 || c.parentId === cps[i - 1].id)).toBe(true);
    expect(new Date(cps[0].createdAt).getTime()).toBeGreaterThan(0);
  });

  it("by default a straight run of pure steps is one checkpoint step, listed with every node it ran, and forks before it", async () => {
    const wf = await createWorkflow(fusedChain());
    const runId = await startRun(wf, { x: "hi" });
    expect(await waitForRun(runId, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "B(A(hi))" });
    const cps = (await checkpoints(runId)).body.checkpoints;
    expect(cps.map((c: any) => c.ran)).toEqual([[], [], ["start", "a", "b", "o"]]);
    expect(cps.map((c: any) => c.next)).toEqual([[], ["start", "a", "b", "o"], []]);
    const res = await fork(runId, { checkpointId: cps[1].id });
    expect(res.status).toBe(202);
    const child = (await body(res)).runId;
    expect(await waitForRun(child, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "B(A(hi))" });
    expect(await startedNodes(child)).toEqual(["start", "a", "b", "o"]);
  });

  it("forks from a checkpoint (re-running only what follows), with edited state, and links both ways", async () => {
    const wf = await createWorkflow(chain());
    const parent = await startRun(wf, { x: "hi" });
    await waitForRun(parent, ["succeeded"]);
    const cps = (await checkpoints(parent)).body.checkpoints;
    const afterA = cps.find((c: any) => c.ran.includes("a"));

    // Plain fork: b and o run again, start and a do not.
    const res = await fork(parent, { checkpointId: afterA.id });
    expect(res.status).toBe(202);
    const child = (await body(res)).runId;
    expect(child).not.toBe(parent);
    expect(await waitForRun(child, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "B(A(hi))", trigger: "fork", parentRunId: parent });
    expect(await startedNodes(child)).toEqual(["b", "o"]);

    // Edited state: b sees the new value of a.
    const res2 = await fork(parent, { checkpointId: afterA.id, state: { a: "EDITED" } });
    expect(res2.status, await res2.clone().text()).toBe(202);
    const edited = (await body(res2)).runId;
    expect(await waitForRun(edited, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "B(EDITED)" });
    expect(await startedNodes(edited)).toEqual(["b", "o"]);

    // The parent is untouched and lists its forks; each fork names its parent and checkpoint.
    expect(await getRun(parent)).toMatchObject({ status: "succeeded", result: "B(A(hi))" });
    const parentList = (await checkpoints(parent)).body;
    expect(parentList.checkpoints.length).toBe(cps.length);
    expect(parentList.forks.map((f: any) => f.runId).sort()).toEqual([child, edited].sort());
    expect(parentList.forks.every((f: any) => f.checkpointId === afterA.id)).toBe(true);
    const childList = (await checkpoints(edited)).body;
    expect(childList.forkedFrom).toEqual({ runId: parent, checkpointId: afterA.id });
    expect(childList.checkpoints[0]).toMatchObject({ id: afterA.id, source: "fork", ran: ["a"], values: { x: "hi", a: "A(hi)" } });
    expect(childList.checkpoints[1]).toMatchObject({ source: "update", values: { a: "EDITED" } });
    expect(childList.checkpoints.at(-1).values).toMatchObject({ a: "EDITED", b: "B(EDITED)" });
  });

  it("forks a waiting approval: the fork waits at the same node and finishes on its own answer", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "draft" }] }],
          ["ap", "human-approval", { instructions: "Check it", editableFields: ["draft"] }],
          ["send", "template", { template: "sent: {{draft}}" }],
          ["drop", "template", { template: "dropped" }],
          ["o", "output", { value: "{{send}}{{drop}}" }],
        ],
        ["start->ap", "ap->send:approved", "ap->drop:rejected", "send->o", "drop->o"],
      ),
    );
    const parent = await startRun(wf, { draft: "hi" });
    await waitForRun(parent, ["waiting"]);
    const cps = (await checkpoints(parent)).body.checkpoints;
    expect(cps.at(-1).interrupts).toEqual(["ap"]);
    const res = await fork(parent, { checkpointId: cps.at(-1).id });
    expect(res.status).toBe(202);
    const child = (await body(res)).runId;
    const waiting = await waitForRun(child, ["waiting", "failed"]);
    expect(waiting.status).toBe("waiting");
    expect(waiting.waitingFor[0]).toMatchObject({ nodeId: "ap" });
    const ok = await approvalRoute.POST(req(`/api/runs/${child}/approvals/ap`, { json: { approved: false } }), ctx({ id: child, nodeId: "ap" }));
    expect(ok.status).toBe(202);
    expect(await waitForRun(child, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "dropped" });
    expect((await getRun(parent)).status).toBe("waiting");
  });

  it("refuses bad bodies (400), unknown runs and checkpoints (404), and running runs or edits before any node ran (409)", async () => {
    const wf = await createWorkflow(chain());
    const runId = await startRun(wf, { x: "hi" });
    await waitForRun(runId, ["succeeded"]);
    const cps = (await checkpoints(runId)).body.checkpoints;
    expect((await checkpointsRoute.GET(req("/api/runs/run_nope/checkpoints"), ctx({ id: "run_nope" }))).status).toBe(404);
    expect((await checkpointsRoute.GET(req(`/api/runs/${runId}/checkpoints?limit=0`), ctx({ id: runId }))).status).toBe(400);
    const truncated = await body(await checkpointsRoute.GET(req(`/api/runs/${runId}/checkpoints?limit=2`), ctx({ id: runId })));
    expect(truncated.truncated).toBe(true);
    expect(truncated.checkpoints.map((c: any) => c.id)).toEqual(cps.slice(-2).map((c: any) => c.id));

    const noId = await fork(runId, {});
    expect(noId.status).toBe(400);
    expect((await body(noId)).error.code).toBe("BAD_REQUEST");
    const badJson = await forkRoute.POST(
      req(`/api/runs/${runId}/fork`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
      ctx({ id: runId }),
    );
    expect(badJson.status).toBe(400);
    const unknownField = await fork(runId, { checkpointId: cps[3].id, state: { nope: 1, __output: 2 } });
    expect(unknownField.status).toBe(400);
    expect((await body(unknownField)).error.issues.map((i: any) => i.path).sort()).toEqual(["$.state.__output", "$.state.nope"]);
    expect((await fork("run_nope", { checkpointId: cps[3].id })).status).toBe(404);
    const missing = await fork(runId, { checkpointId: "1f000000-0000-6000-8000-000000000000" });
    expect(missing.status).toBe(404);
    expect((await body(missing)).error.code).toBe("NOT_FOUND");
    const tooEarly = await fork(runId, { checkpointId: cps[0].id, state: { x: "y" } });
    expect(tooEarly.status).toBe(409);

    const slow = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["d", "delay", { ms: 1500 }],
          ["o", "output", { value: "ok" }],
        ],
        ["start->d", "d->o"],
      ),
    );
    const running = await startRun(slow);
    await waitForRun(running, ["running"]);
    const busy = await fork(running, { checkpointId: cps[3].id });
    expect(busy.status).toBe(409);
    expect((await body(busy)).error.code).toBe("RUN_STATE_CONFLICT");
    await waitForRun(running, ["succeeded"]);
  });
});
