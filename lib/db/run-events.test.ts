import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "@/lib/workflow";
import type { EngineEvent } from "@/lib/contracts/events";
import { createTestDatabase, testProviders, type TestDatabase } from "./testing";
import { DEFAULT_WORKSPACE_ID } from "./workspaces";
import * as workflows from "./workflows";
import { createRun } from "./runs";
import { appendRunEventBatches, appendRunEvents, listRunEvents, listRunStory } from "./run-events";

const providers = await testProviders();

const started = (runId: string, nodeId: string): EngineEvent => ({ type: "node.started", runId, ts: Date.now(), nodeId, kind: "template", attempt: 1 });

describe.each(providers)("run events on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    const doc = { ...createEmptyWorkflow("Events"), id: "wf_ev" };
    await workflows.createWorkflow(t.db, { id: "wf_ev", workspaceId: DEFAULT_WORKSPACE_ID, version: { document: doc, reason: "create" } });
    for (const id of ["run_a", "run_b", "run_c"]) {
      await createRun(t.db, { id, workspaceId: DEFAULT_WORKSPACE_ID, workflowId: "wf_ev", workflowVersion: 1, trigger: "api", threadId: id, input: {} });
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("appends many runs' batches in one go, each numbered from its own seq", async () => {
    const stored = await appendRunEventBatches(t.db, [
      { runId: "run_a", events: [started("run_a", "x"), started("run_a", "y")], firstSeq: 0 },
      { runId: "run_b", events: [started("run_b", "x")], firstSeq: 0 },
    ]);
    expect(stored.map((s) => s.map((e) => e.seq))).toEqual([[0, 1], [0]]);
    const a = await listRunEvents(t.db, "run_a", -1, 10);
    expect(a.map((e) => [e.seq, (e as { nodeId: string }).nodeId])).toEqual([
      [0, "x"],
      [1, "y"],
    ]);
    // createdAt is written as Prisma writes it: time-window queries of the dashboard find the rows.
    const row = await t.db.prisma.runEvent.findUniqueOrThrow({ where: { runId_seq: { runId: "run_a", seq: 0 } } });
    expect(Math.abs(row.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await t.db.prisma.runEvent.count({ where: { runId: "run_a", createdAt: { gte: new Date(Date.now() - 60_000) } } })).toBe(2);
  });

  it("when a run's numbers were taken, nothing of the batch is half-written: each run is renumbered after the winner", async () => {
    await appendRunEvents(t.db, "run_c", [started("run_c", "winner")], 0);
    const stored = await appendRunEventBatches(t.db, [
      { runId: "run_b", events: [started("run_b", "y")], firstSeq: 1 },
      { runId: "run_c", events: [started("run_c", "late")], firstSeq: 0 },
    ]);
    expect(stored.map((s) => s.map((e) => e.seq))).toEqual([[1], [1]]);
    const c = await listRunEvents(t.db, "run_c", -1, 10);
    expect(c.map((e) => (e as { nodeId: string }).nodeId)).toEqual(["winner", "late"]);
    expect((await listRunEvents(t.db, "run_b", -1, 10)).map((e) => e.seq)).toEqual([0, 1]);
  });

  it("stores a batch larger than one statement atomically, and the story leaves out tokens", async () => {
    const many: EngineEvent[] = Array.from({ length: 4500 }, (_, i) =>
      i % 2 ? started("run_a", `n${i}`) : { type: "token", runId: "run_a", ts: Date.now(), nodeId: "ag", kind: "agent", model: "simulated", text: "t" },
    );
    const [stored] = await appendRunEventBatches(t.db, [{ runId: "run_a", events: many, firstSeq: 2 }]);
    expect(stored.at(-1)!.seq).toBe(4501);
    expect(await t.db.prisma.runEvent.count({ where: { runId: "run_a" } })).toBe(4502);
    const story = await listRunStory(t.db, "run_a");
    expect(story).toHaveLength(2 + 2250);
    expect(story.every((e) => e.type !== "token")).toBe(true);
  });

  it("refuses events of a run that does not exist (nothing stored)", async () => {
    await expect(appendRunEventBatches(t.db, [{ runId: "run_missing", events: [started("run_missing", "x")], firstSeq: 0 }])).rejects.toThrow();
    expect(await t.db.prisma.runEvent.count({ where: { runId: "run_missing" } })).toBe(0);
  });
});
