import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "@/lib/workflow";
import { createTestDatabase, type TestDatabase } from "./testing";
import { DEFAULT_WORKSPACE_ID } from "./workspaces";
import * as workflows from "./workflows";
import * as runs from "./runs";

// The Run row's JSON columns: written as values, read back parsed with their zod schemas.
describe("runs repository: JSON columns", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    const doc = { ...createEmptyWorkflow("Runs repo"), id: "wf_runs" };
    await workflows.createWorkflow(t.db, { id: "wf_runs", workspaceId: DEFAULT_WORKSPACE_ID, version: { document: doc, reason: "create" } });
  });
  afterAll(async () => {
    await t?.drop();
  });

  const newRun = (id: string) =>
    runs.createRun(t.db, {
      id,
      workspaceId: DEFAULT_WORKSPACE_ID,
      workflowId: "wf_runs",
      workflowVersion: 1,
      trigger: "api",
      threadId: id,
      input: { topic: "x", n: 2 },
    });
  const waiting = {
    type: "node.waiting" as const,
    runId: "run_a",
    seq: 3,
    ts: 1000,
    nodeId: "ap",
    kind: "human-approval",
    interruptId: "i1",
    instructions: "Check",
    editableFields: [],
    values: { draft: "hi" },
    timeoutMs: 500,
  };

  it("round-trips input, result, waitingFor and pendingDecision as values", async () => {
    expect((await newRun("run_a")).input).toEqual({ topic: "x", n: 2 });
    expect(await runs.updateRun(t.db, "run_a", { status: "waiting", waitingFor: [waiting] })).toBe(true);
    let r = (await runs.findRun(t.db, "run_a"))!;
    expect(r.waitingFor).toEqual([waiting]);
    expect(r.result).toBeNull();
    expect(r.pendingDecision).toBeNull();
    await runs.updateRun(t.db, "run_a", {
      status: "queued",
      waitingFor: null,
      pendingDecision: { approved: true, comment: "", values: {}, nodeId: "ap", interruptId: "i1" },
    });
    r = (await runs.findRun(t.db, "run_a"))!;
    expect(r.waitingFor).toBeNull();
    expect(r.pendingDecision).toEqual({ approved: true, comment: "", values: {}, nodeId: "ap", interruptId: "i1" });
    await runs.updateRun(t.db, "run_a", { status: "succeeded", result: ["a", 1], pendingDecision: null });
    r = (await runs.findRun(t.db, "run_a"))!;
    expect(r.result).toEqual(["a", 1]);
    expect(r.pendingDecision).toBeNull();
  });

  it("names the run and column of a malformed value, and approval deadlines skip that run", async () => {
    await newRun("run_bad");
    await t.db.prisma.run.update({ where: { id: "run_bad" }, data: { status: "waiting", waitingFor: '[{"nodeId":"ap"}]' } });
    await expect(runs.findRun(t.db, "run_bad")).rejects.toThrow(/^Run "run_bad" has an unreadable waitingFor column: 0\.runId: .*0\.type: /);
    await t.db.prisma.run.update({ where: { id: "run_bad" }, data: { waitingFor: "not json" } });
    await expect(runs.findRun(t.db, "run_bad")).rejects.toBeInstanceOf(runs.RunColumnError);
    await newRun("run_ok");
    await runs.updateRun(t.db, "run_ok", { status: "waiting", waitingFor: [{ ...waiting, runId: "run_ok" }] });
    expect((await runs.listWaitingRuns(t.db)).map((r) => r.id)).toEqual(["run_ok"]);
  });
});
