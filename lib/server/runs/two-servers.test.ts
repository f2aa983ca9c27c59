// Two run managers on one database, as two servers behind a load balancer would be: a workflow's
// maxConcurrentRuns holds across both (the database counts the running runs), and every run of
// both still finishes (backpressure, not rejection).
import { afterAll, describe, expect, it as vitestIt } from "vitest";
import { inWorkspace } from "@/lib/server/request-scope";
import { DEFAULT_WORKSPACE_ID } from "@/lib/db/workspaces";
import { testProviders } from "@/lib/db/testing";
import { createRun } from "@/lib/db/runs";
import { appendRunEvents } from "@/lib/db/run-events";
import { buildWorkflow } from "@/lib/engine/testing";
import { createWorkflow } from "@/lib/server/workflows";
import { useTestDatabase } from "@/test/api-harness";
import { RunManager } from "./manager";
import { newRunId, startRun } from "./service";

// Use-cases act in a workspace scope (a route opens it for its caller): these tests act as the default workspace.
const it = (name: string, fn: () => Promise<void> | void, timeout?: number) => vitestIt(name, () => inWorkspace(DEFAULT_WORKSPACE_ID, fn), timeout);

const providers = await testProviders();

describe.each(providers)("two servers on %s", (provider) => {
  const t = useTestDatabase(provider, { runs: true });
  const other = new RunManager();
  afterAll(() => other.close());

  /** Starts a run on the other server (what its startRun would do). */
  async function startOnOther(workflowId: string) {
    const db = t().db;
    const id = newRunId();
    const row = await createRun(db, {
      id,
      workspaceId: "ws_default",
      workflowId,
      workflowVersion: 1,
      trigger: "api",
      threadId: id,
      input: {},
      lease: { owner: other.owner, expiresAt: other.leaseExpiry() },
    });
    await appendRunEvents(db, id, [{ type: "run.queued", runId: id, ts: Date.now(), position: 0 }], 0);
    await other.enqueue(row);
    return id;
  }

  it("never runs more than maxConcurrentRuns of a workflow at once, counting both servers", async () => {
    await other.start();
    const wf = await createWorkflow({
      document: buildWorkflow(
        [
          ["start", "start", { fields: [] }],
          ["d", "delay", { ms: 300 }],
          ["o", "output", { value: "ok" }],
        ],
        ["start->d", "d->o"],
        { maxConcurrentRuns: 1 },
      ),
    });
    const ids = [(await startRun(wf.id, {}, "api")).runId, await startOnOther(wf.id), (await startRun(wf.id, {}, "api")).runId, await startOnOther(wf.id)];
    let maxRunning = 0;
    for (const until = Date.now() + 30_000; ;) {
      const rows = await t().db.prisma.run.findMany({ where: { id: { in: ids } }, select: { status: true } });
      maxRunning = Math.max(maxRunning, rows.filter((r) => r.status === "running").length);
      if (rows.every((r) => r.status === "succeeded") || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const rows = await t().db.prisma.run.findMany({ where: { id: { in: ids } }, select: { status: true, leaseOwner: true } });
    expect(rows.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(rows.every((r) => r.leaseOwner === null)).toBe(true);
    expect(maxRunning).toBe(1);
  }, 60_000);
});
