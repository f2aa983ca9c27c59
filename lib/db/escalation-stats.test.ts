// escalationsByNode: the dashboard's escalation counts per workflow and node, on every database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testProviders, type TestDatabase } from "./testing";
import { seedRuns } from "./seed-runs";
import { DEFAULT_WORKSPACE_ID } from "./workspaces";
import { escalationsByNode } from "./escalation-stats";

const NEWEST = Date.parse("2026-06-01T12:00:00Z");
const providers = await testProviders();

describe.each(providers)("escalation stats on %s", (provider) => {
  let t: TestDatabase;
  const window = { workspaceId: DEFAULT_WORKSPACE_ID, from: new Date(NEWEST - 86_400_000), to: new Date(NEWEST + 1000) };
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await seedRuns(t.db, { count: 4, workflows: [{ id: "wf_a", name: "Alpha" }], newestAt: NEWEST, spacingMs: 1000 });
    const at = new Date(NEWEST - 60_000);
    let seq = 100;
    const ev = (runId: string, nodeId: string, level: string, outcome: string, to?: string) => ({
      runId,
      seq: seq++,
      type: "node.escalation",
      payload: JSON.stringify({
        type: "node.escalation",
        runId,
        ts: at.getTime(),
        nodeId,
        kind: "agent",
        level,
        outcome,
        threshold: 0.7,
        source: "field",
        ...(to ? { to } : {}),
      }),
      createdAt: at,
    });
    await t.db.prisma.runEvent.createMany({
      data: [
        // run 1: agent → supervisor → human, approved
        ev("run_seed_1", "support", "agent", "escalated", "supervisor"),
        ev("run_seed_1", "support", "supervisor", "escalated", "human"),
        ev("run_seed_1", "support", "human", "approved"),
        // run 2: agent → supervisor, accepted there
        ev("run_seed_2", "support", "agent", "escalated", "supervisor"),
        ev("run_seed_2", "support", "supervisor", "accepted"),
        // run 3: another node, nothing left: exhausted
        ev("run_seed_3", "triage", "agent", "exhausted"),
        // run 4: sure at once: not an escalation
        ev("run_seed_4", "quiet", "agent", "accepted"),
      ],
    });
  });
  afterAll(async () => t?.drop());

  it("counts hand-offs per level, exhausted steps, human decisions and runs per node", async () => {
    const rows = await escalationsByNode(t.db, window);
    expect(rows.map(({ lastAt, ...r }) => (expect(lastAt).toBeInstanceOf(Date), r))).toEqual([
      { workflowId: "wf_a", nodeId: "support", escalations: 3, toSupervisor: 2, toHuman: 1, exhausted: 0, approved: 1, rejected: 0, runs: 2 },
      { workflowId: "wf_a", nodeId: "triage", escalations: 0, toSupervisor: 0, toHuman: 0, exhausted: 1, approved: 0, rejected: 0, runs: 1 },
    ]);
  });

  it("keeps to the window, the workspace and the workflow filter", async () => {
    expect(await escalationsByNode(t.db, { ...window, to: new Date(NEWEST - 120_000) })).toEqual([]);
    expect(await escalationsByNode(t.db, { ...window, workspaceId: "ws_other" })).toEqual([]);
    expect(await escalationsByNode(t.db, { ...window, workflowId: "wf_missing" })).toEqual([]);
    expect((await escalationsByNode(t.db, { ...window, workflowId: "wf_a" })).length).toBe(2);
  });
});
