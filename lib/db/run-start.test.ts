import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "@/lib/workflow";
import { createTestDatabase, testProviders, type TestDatabase } from "./testing";
import { DEFAULT_WORKSPACE_ID } from "./workspaces";
import * as workflows from "./workflows";
import * as runs from "./runs";
import { listRunEvents } from "./run-events";
import { countAuditEntries, listAuditEntries, type AuditInsert } from "./audit";

const providers = await testProviders();

// A run start is one write: the Run row, its run.queued event and its audit entry, all or nothing.
describe.each(providers)("createRunRecorded on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    const doc = { ...createEmptyWorkflow("Run start"), id: "wf_start" };
    await workflows.createWorkflow(t.db, { id: "wf_start", workspaceId: DEFAULT_WORKSPACE_ID, version: { document: doc, reason: "create" } });
  });
  afterAll(async () => {
    await t?.drop();
  });

  const run = (id: string) => ({
    id,
    workspaceId: DEFAULT_WORKSPACE_ID,
    workflowId: "wf_start",
    workflowVersion: 1,
    trigger: "api" as const,
    threadId: id,
    input: { n: 1 },
    lease: { owner: "host:1:abc", expiresAt: new Date(Date.now() + 30_000) },
  });
  const audit = (id: string, runId: string): AuditInsert => ({
    id,
    workspaceId: DEFAULT_WORKSPACE_ID,
    actorId: "usr_1",
    actorEmail: "a@b.test",
    action: "run.started",
    targetType: "run",
    targetId: runId,
    ip: "127.0.0.1",
    userAgent: "test",
    detail: '{"trigger":"api"}',
    createdAt: new Date("2026-12-01T10:00:00.123Z"),
  });
  const queued = (runId: string) => ({ type: "run.queued" as const, runId, ts: 1000, position: 0 });

  it("stores the run, its first events from seq 0 and the audit entry together", async () => {
    const { row, events } = await runs.createRunRecorded(t.db, run("run_s1"), [queued("run_s1")], audit("aud_s1", "run_s1"));
    expect(row).toMatchObject({ id: "run_s1", status: "queued", input: { n: 1 }, leaseOwner: "host:1:abc" });
    expect(events).toEqual([{ ...queued("run_s1"), seq: 0 }]);
    expect(await runs.findRun(t.db, "run_s1")).toMatchObject({ id: "run_s1", status: "queued", input: { n: 1 }, workflowVersion: 1 });
    expect(await listRunEvents(t.db, "run_s1", -1, 10)).toEqual([{ ...queued("run_s1"), seq: 0 }]);
    const [entry] = await listAuditEntries(t.db, { workspaceId: DEFAULT_WORKSPACE_ID, actions: ["run.started"], limit: 10 });
    // Raw SQL stores what Prisma's create stored: the entry reads back field for field, the date included.
    expect(entry).toEqual(audit("aud_s1", "run_s1"));
  });

  it("stores nothing when one of the three fails (here: an audit id already used)", async () => {
    const entriesBefore = await countAuditEntries(t.db);
    await expect(runs.createRunRecorded(t.db, run("run_s2"), [queued("run_s2")], audit("aud_s1", "run_s2"))).rejects.toThrow();
    expect(await runs.findRun(t.db, "run_s2")).toBeNull();
    expect(await listRunEvents(t.db, "run_s2", -1, 10)).toEqual([]);
    expect(await countAuditEntries(t.db)).toBe(entriesBefore);
  });

  it("works without an audit entry", async () => {
    const { events } = await runs.createRunRecorded(t.db, run("run_s3"), [queued("run_s3")], null);
    expect(events.map((e) => e.seq)).toEqual([0]);
    expect(await runs.findRun(t.db, "run_s3")).not.toBeNull();
  });
});
