// Retention against real databases (SQLite and PostgreSQL): fill one with runs, events and LangGraph
// checkpoints (through the real savers), run a pass, and check that nothing of a kept run was touched
// and nothing of a pruned run remains; then compaction and the one-pruner-at-a-time lease.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyCheckpoint, uuid6, type BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { Database, DbProvider } from "@/lib/db/client";
import { createTestDatabase, testProviders, type TestDatabase } from "@/lib/db/testing";
import { createWorkflow } from "@/lib/db/workflows";
import { createRun } from "@/lib/db/runs";
import { appendRunEvents } from "@/lib/db/run-events";
import { queryRaw } from "@/lib/db/raw-sql";
import { takeMaintenanceLock } from "@/lib/db/retention-lock";
import { DEFAULT_WORKSPACE_ID } from "@/lib/db/workspaces";
import { closeCheckpointer, createCheckpointer } from "@/lib/engine/checkpointer";
import { createEmptyWorkflow, type RetentionSettings } from "@/lib/workflow";
import { CHECKPOINT_SCHEMA, checkpointTarget } from "../runs/checkpoint-tables";
import { RETENTION_LOCK, runRetentionPass, type PassSummary } from "./pruner";
import { DEFAULT_PRUNER_SETTINGS } from "./settings";

const DAY = 86_400_000;
const NOW = Date.now();
const providers = await testProviders();

interface Spec {
  id: string;
  wf: string;
  status: string;
  ageDays: number;
  thread?: string;
}

/** Three checkpoints on the thread (a chain), pending writes on the last, like a run that stopped after two steps. */
async function putCheckpoints(saver: BaseCheckpointSaver, thread: string, value: string) {
  let config = { configurable: { thread_id: thread, checkpoint_ns: "" } } as Parameters<BaseCheckpointSaver["put"]>[0];
  for (let step = 0; step < 3; step++) {
    const cp = { ...emptyCheckpoint(), id: uuid6(step), channel_values: { s: `${value}-${step}` }, channel_versions: { s: step + 1 } };
    config = await saver.put(config, cp, { source: "loop", step, parents: {} }, { s: step + 1 });
  }
  await saver.putWrites(config, [["s", `${value}-pending`]], "task-1");
}

async function rowsOf(db: Database, thread: string) {
  const pg = db.provider === "postgresql";
  const t = (name: string) => (pg ? `"${CHECKPOINT_SCHEMA}".${name}` : name);
  const count = async (table: string) => Number((await queryRaw(db, `SELECT COUNT(*) AS n FROM ${table} WHERE thread_id = $1`, [thread]))[0].n);
  return {
    checkpoints: await count(t("checkpoints")),
    writes: await count(t(pg ? "checkpoint_writes" : "writes")),
    blobs: pg ? await count(t("checkpoint_blobs")) : 0,
  };
}

async function snapshot(db: Database, spec: Spec) {
  const run = await db.prisma.run.findUnique({ where: { id: spec.id } });
  const events = await db.prisma.runEvent.findMany({ where: { runId: spec.id }, orderBy: { seq: "asc" } });
  return { run, events, cps: await rowsOf(db, spec.thread ?? spec.id) };
}

async function fill(db: Database, specs: Spec[], overrides: Record<string, RetentionSettings | undefined>) {
  for (const [wf, retention] of Object.entries(overrides)) {
    const doc = createEmptyWorkflow(wf);
    await createWorkflow(db, {
      id: wf,
      workspaceId: DEFAULT_WORKSPACE_ID,
      version: { document: { ...doc, settings: { ...doc.settings, retention } }, reason: "create" },
    });
  }
  const saver = await createCheckpointer(checkpointTarget(db), { postgresSchema: CHECKPOINT_SCHEMA });
  try {
    for (const s of specs) {
      const thread = s.thread ?? s.id;
      await createRun(db, { id: s.id, workspaceId: DEFAULT_WORKSPACE_ID, workflowId: s.wf, workflowVersion: 1, trigger: "api", threadId: thread, input: {} });
      const at = new Date(NOW - s.ageDays * DAY);
      const active = ["queued", "running", "waiting"].includes(s.status);
      await db.prisma.run.update({ where: { id: s.id }, data: { status: s.status, createdAt: new Date(at.getTime() - 1000), finishedAt: active ? null : at } });
      await appendRunEvents(db, s.id, [{ type: "run.queued", runId: s.id, ts: at.getTime(), position: 0 }]);
      if (!s.thread) await putCheckpoints(saver, thread, s.id);
    }
  } finally {
    await closeCheckpointer(saver);
  }
}

const settings = { ...DEFAULT_PRUNER_SETTINGS, batchSize: 3, pauseMs: 0, compactAfterMs: 3650 * DAY };
const policy = { days: 14, maxRuns: 1000, failedDays: 30 };

describe.each(providers)("retention pass on %s", (provider: DbProvider) => {
  let t: TestDatabase;
  // wf_a: server defaults. wf_b: at most 2 stopped runs.
  const specs: Spec[] = [
    { id: "a_new", wf: "wf_a", status: "succeeded", ageDays: 1 },
    { id: "a_old", wf: "wf_a", status: "succeeded", ageDays: 20 },
    { id: "a_cancel_old", wf: "wf_a", status: "cancelled", ageDays: 15 },
    { id: "a_failed_20", wf: "wf_a", status: "failed", ageDays: 20 },
    { id: "a_failed_40", wf: "wf_a", status: "failed", ageDays: 40 },
    { id: "a_running_old", wf: "wf_a", status: "running", ageDays: 90 },
    { id: "a_waiting_old", wf: "wf_a", status: "waiting", ageDays: 90 },
    { id: "a_queued_old", wf: "wf_a", status: "queued", ageDays: 90 },
    // A dead letter past its days whose retry (same thread) is kept: the thread stays.
    { id: "a_parent", wf: "wf_a", status: "failed", ageDays: 45 },
    { id: "a_retry", wf: "wf_a", status: "succeeded", ageDays: 2, thread: "a_parent" },
    { id: "b1", wf: "wf_b", status: "succeeded", ageDays: 0.1 },
    { id: "b2", wf: "wf_b", status: "failed", ageDays: 0.2 },
    { id: "b3", wf: "wf_b", status: "running", ageDays: 0.25 },
    { id: "b4", wf: "wf_b", status: "succeeded", ageDays: 0.3 },
    { id: "b5", wf: "wf_b", status: "succeeded", ageDays: 0.4 },
  ];
  const pruned = ["a_old", "a_cancel_old", "a_failed_40", "a_parent", "b4", "b5"];
  const kept = specs.filter((s) => !pruned.includes(s.id));
  let before: Map<string, Awaited<ReturnType<typeof snapshot>>>;
  let summary: PassSummary;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await fill(t.db, specs, { wf_a: undefined, wf_b: { maxRuns: 2 } });
    before = new Map(await Promise.all(kept.map(async (s) => [s.id, await snapshot(t.db, s)] as const)));
    const r = await runRetentionPass({ db: t.db, policy, settings, owner: "test:1:a", now: () => NOW });
    expect(r.outcome).toBe("done");
    summary = r as PassSummary;
  }, 120_000);
  afterAll(async () => t?.drop());

  it("leaves every kept run exactly as it was: row, events, checkpoints, writes", async () => {
    for (const s of kept) {
      const after = await snapshot(t.db, s);
      expect(after, s.id).toEqual(before.get(s.id));
      expect(after.run, s.id).not.toBeNull();
      expect(after.cps.checkpoints, s.id).toBe(3);
    }
  });

  it("removes everything of a pruned run", async () => {
    for (const id of pruned) {
      const s = await snapshot(t.db, { id, wf: "", status: "", ageDays: 0 });
      expect(s.run, id).toBeNull();
      expect(s.events, id).toEqual([]);
      if (id !== "a_parent") expect(s.cps, id).toEqual({ checkpoints: 0, writes: 0, blobs: 0 });
    }
    // The parent's thread is its kept retry's thread.
    expect((await rowsOf(t.db, "a_parent")).checkpoints).toBe(3);
  });

  it("reports what it did", () => {
    expect(summary.runs).toBe(6);
    expect(summary.byReason).toEqual({ age: 4, count: 2 });
    expect(summary.events).toBe(6);
    expect(summary.checkpoints).toBe(15);
    expect(summary.writes).toBe(5);
    if (provider === "postgresql") expect(summary.blobs).toBeGreaterThan(0);
  });

  it("compacts old finished threads to their last checkpoint and its pending writes", async () => {
    const r = (await runRetentionPass({
      db: t.db,
      policy,
      settings: { ...settings, compactAfterMs: 0.5 * DAY },
      owner: "test:1:a",
      now: () => NOW,
    })) as PassSummary;
    expect(r.runs).toBe(0);
    // a_new, a_failed_20, a_parent's thread (a_retry): old enough; b1..b3 are younger than half a day.
    expect(r.compactedRuns).toBe(3);
    for (const id of ["a_new", "a_failed_20"]) expect(await rowsOf(t.db, id)).toMatchObject({ checkpoints: 1, writes: 1 });
    expect(await rowsOf(t.db, "a_parent")).toMatchObject({ checkpoints: 1, writes: 1 });
    expect(await rowsOf(t.db, "b1")).toMatchObject({ checkpoints: 3 });
    expect(await rowsOf(t.db, "a_running_old")).toMatchObject({ checkpoints: 3 });
    // What resume and "retry from the failed node" read: the latest checkpoint with its pending writes.
    const saver = await createCheckpointer(checkpointTarget(t.db), { postgresSchema: CHECKPOINT_SCHEMA });
    try {
      const tuple = await saver.getTuple({ configurable: { thread_id: "a_failed_20", checkpoint_ns: "" } });
      expect(tuple?.checkpoint.channel_values).toEqual({ s: "a_failed_20-2" });
      expect(tuple?.pendingWrites?.map((w) => w[2])).toEqual(["a_failed_20-pending"]);
    } finally {
      await closeCheckpointer(saver);
    }
    const run = await t.db.prisma.run.findUnique({ where: { id: "a_failed_20" } });
    expect(run?.compactedAt).not.toBeNull();
    expect((await t.db.prisma.run.findUnique({ where: { id: "b1" } }))?.compactedAt).toBeNull();
    expect(await t.db.prisma.runEvent.count({ where: { runId: "a_new" } })).toBe(1);
  });

  it("runs one pass at a time across processes (a lease in the database)", async () => {
    expect(await takeMaintenanceLock(t.db, RETENTION_LOCK, "other:2:b", new Date(NOW + 60_000), new Date(NOW))).toBe(true);
    expect(await runRetentionPass({ db: t.db, policy, settings, owner: "test:1:a", now: () => NOW })).toEqual({ outcome: "skipped", reason: "locked" });
    // Once the other holder's lease expires, it is ours.
    const later = NOW + 120_000;
    expect((await runRetentionPass({ db: t.db, policy, settings, owner: "test:1:a", now: () => later })).outcome).toBe("done");
  });
});
