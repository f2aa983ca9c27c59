// An Agent's Escalate policy through the server: the human level waits like a Human approval (stored
// evidence on waitingFor, node.escalation events persisted in order), the approvals route settles it,
// and time travel forks before the agent ask again, on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { body, createWorkflow, ctx, getRun, req, startRun, waitForRun, useTestDatabase } from "@/test/api-harness";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import * as eventsRoute from "./runs/[id]/events/route";
import * as approvalRoute from "./runs/[id]/approvals/[nodeId]/route";
import * as checkpointsRoute from "./runs/[id]/checkpoints/route";
import * as forkRoute from "./runs/[id]/fork/route";

const escalating = () =>
  buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "question", type: "string" }] }],
      ["ask", "agent", { role: "Support agent", prompt: "{{question}}", escalation: { enabled: true, threshold: 0.8 } }],
      ["o", "output", { value: "{{ask}}" }],
    ],
    ["start->ask", "ask->o"],
  );
const events = async (id: string) => (await body(await eventsRoute.GET(req(`/api/runs/${id}/events`), ctx({ id })))).events as any[];
const approve = (id: string, json: unknown) => approvalRoute.POST(req(`/api/runs/${id}/approvals/ask`, { json }), ctx({ id, nodeId: "ask" }));
const levels = (evs: any[]) => evs.filter((e) => e.type === "node.escalation").map((e) => `${e.level}:${e.outcome}`);

const providers = await testProviders();

describe.each(providers)("escalation through the API on %s", (provider) => {
  useTestDatabase(provider, { runs: true });

  it("waits for a human with the evidence, persists every level in order, and finishes on approval", async () => {
    const wf = await createWorkflow(escalating());
    const runId = await startRun(wf, { question: "Refund twice? [[confidence=0.2]]" });
    const waiting = await waitForRun(runId, ["waiting", "failed", "succeeded"]);
    expect(waiting.status).toBe("waiting");
    const w = waiting.waitingFor[0];
    expect(w).toMatchObject({ nodeId: "ask", editableFields: ["answer"] });
    expect(w.escalation.tries.map((t: any) => [t.level, t.confidence])).toEqual([
      ["agent", 0.2],
      ["supervisor", 0.2],
    ]);
    const before = await events(runId);
    expect(levels(before)).toEqual(["agent:escalated", "supervisor:escalated"]);
    const seqs = before.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    const res = await approve(runId, { approved: true, comment: "ok" });
    expect(res.status, await res.clone().text()).toBe(202);
    const done = await waitForRun(runId, ["succeeded", "failed"]);
    expect(done).toMatchObject({ status: "succeeded", result: w.escalation.proposedAnswer });
    expect(levels(await events(runId))).toEqual(["agent:escalated", "supervisor:escalated", "human:approved"]);
  });

  it("a fork from before the agent asks the levels again and waits for its own approval", async () => {
    const wf = await createWorkflow(escalating());
    const parent = await startRun(wf, { question: "Hard [[confidence=0.2]]" });
    await waitForRun(parent, ["waiting"]);
    await approve(parent, { approved: true });
    await waitForRun(parent, ["succeeded"]);
    const cps = (await body(await checkpointsRoute.GET(req(`/api/runs/${parent}/checkpoints`), ctx({ id: parent })))).checkpoints;
    const beforeAgent = cps.find((c: any) => c.next.includes("ask"));
    const forked = await forkRoute.POST(req(`/api/runs/${parent}/fork`, { json: { checkpointId: beforeAgent.id } }), ctx({ id: parent }));
    expect(forked.status, await forked.clone().text()).toBe(202);
    const child = (await body(forked)).runId;
    expect((await waitForRun(child, ["waiting", "failed", "succeeded"])).status).toBe("waiting");
    expect(levels(await events(child))).toEqual(["agent:escalated", "supervisor:escalated"]);
    const res = await approve(child, { approved: true, values: { answer: "Edited in the fork" } });
    expect(res.status).toBe(202);
    expect(await waitForRun(child, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "Edited in the fork" });
    expect((await getRun(parent)).result).not.toBe("Edited in the fork");
  });

  it("a rejection fails the run at the agent with ESCALATION_REJECTED", async () => {
    const wf = await createWorkflow(escalating());
    const runId = await startRun(wf, { question: "Hard [[confidence=0.2]]" });
    await waitForRun(runId, ["waiting"]);
    await approve(runId, { approved: false, comment: "no" });
    const failed = await waitForRun(runId, ["succeeded", "failed"]);
    expect(failed.status).toBe("failed");
    expect(JSON.stringify(failed)).toContain("ESCALATION_REJECTED");
  });
});
