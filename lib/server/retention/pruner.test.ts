// Retention against real databases (SQLite and PostgreSQL): fill one with runs, events and LangGraph
// checkpoints (through the real savers), run a pass, and check that nothing of a kept run was touched
// and nothing of a pruned run remains; then compaction and the one-pruner-at-a-time lease.
import { statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyCheckpoint, uuid6, type BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { Database, DbProvider } from "@/lib/db/client";
import { createTestDatabase, testProviders, type TestDatabase } from "@/lib/db/testing";
import { createWorkflow } from "@/lib/db/workflows";
import { createRun } from "@/lib/db/runs";
import { appendRunEvents } from "@/lib/db/run-events";
import { executeRaw, queryRaw } from "@/lib/db/raw-sql";
import { vacuumDeadRows } from "@/lib/db/storage";
import { takeMaintenanceLock } from "@/lib/db/retention-lock";
import { DEFAULT_WORKSPACE_ID } from "@/lib/db/workspaces";
import { closeCheckpointer, createCheckpointer } from "@/lib/engine/checkpointer";
import { createEmptyWorkflow, type RetentionSettings } from "@/lib/workflow";
import { CHECKPOINT_SCHEMA, checkpointTarget } from "../runs/checkpoint-tables";
import { auditEntryInsert, insertAuditEntry } from "@/lib/db/audit";
import { writeAtomically } from "@/lib/db/sqlite-writes";
import { toAuditInsert } from "../audit";
import type { AuditAction } from "@/lib/contracts/audit-api";
import { newPassCarry, RETENTION_LOCK, runRetentionPass, type PassSummary } from "./pruner";
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

/** SQLite pages in use (not on the freelist). */
async function usedPages(db: Database) {
  const one = async (p: string) => Number(Object.values((await queryRaw(db, `PRAGMA ${p}`, []))[0])[0]);
  return (await one("page_count")) - (await one("freelist_count"));
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

describe.each(providers)("a backlog on %s", (provider: DbProvider) => {
  let t: TestDatabase;
  /** `n` succeeded runs of `wf`, one a minute apart, the newest an hour ago, each with events and three checkpoints. */
  const backlog = (wf: string, n: number): Spec[] =>
    Array.from({ length: n }, (_, i) => ({ id: `${wf}_${String(i).padStart(3, "0")}`, wf, status: "succeeded", ageDays: (60 + n - i) / 1440 }));
  const ids = async (wf: string) =>
    (await t.db.prisma.run.findMany({ where: { workflowId: wf }, select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await fill(t.db, [...backlog("wf_c", 40), ...backlog("wf_d", 20)], { wf_c: { maxRuns: 10 }, wf_d: { maxRuns: 2 } });
  }, 120_000);
  afterAll(async () => t?.drop());

  it("stops at its time budget with work left, and the next pass goes on", async () => {
    // A clock that moves 400 ms per look: the 1 s budget ends after a few batches.
    let clock = NOW;
    const ticking = () => (clock += 400);
    const first = (await runRetentionPass({
      db: t.db,
      policy,
      settings: { ...settings, batchSize: 4, maxPassMs: 1000 },
      owner: "test:1:a",
      now: ticking,
    })) as PassSummary;
    expect(first.more).toBe(true);
    expect(first.runs).toBeGreaterThan(0);
    expect(first.runs).toBeLessThan(30 + 18);
    const second = (await runRetentionPass({ db: t.db, policy, settings: { ...settings, batchSize: 7 }, owner: "test:1:a", now: () => NOW })) as PassSummary;
    expect(second.more).toBe(false);
    expect(first.runs + second.runs).toBe(30 + 18);
    expect(first.byReason.count + second.byReason.count).toBe(48);
  });

  it("keeps the newest maxRuns of each workflow and removes every row of the rest", async () => {
    expect(await ids("wf_c")).toEqual(
      backlog("wf_c", 40)
        .slice(30)
        .map((s) => s.id),
    );
    expect(await ids("wf_d")).toEqual(["wf_d_018", "wf_d_019"]);
    for (const s of backlog("wf_c", 40).slice(0, 30)) {
      expect(await t.db.prisma.runEvent.count({ where: { runId: s.id } }), s.id).toBe(0);
      expect(await rowsOf(t.db, s.id), s.id).toEqual({ checkpoints: 0, writes: 0, blobs: 0 });
    }
    expect(await rowsOf(t.db, "wf_c_039")).toMatchObject({ checkpoints: 3, writes: 1 });
  });

  it.runIf(provider === "postgresql")("PostgreSQL: VACUUMs the tables a prune left many dead rows in (autovacuum may be off)", async () => {
    const dead = async () =>
      Number(
        (await queryRaw(t.db, `SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'RunEvent'`, []))[0]?.n ?? 0,
      );
    await executeRaw(
      t.db,
      `INSERT INTO "RunEvent" ("runId", "seq", "type", "payload", "createdAt") SELECT 'wf_c_039', g, 'x', '{}', now() FROM generate_series(1000, 3999) g`,
      [],
    );
    await executeRaw(t.db, `DELETE FROM "RunEvent" WHERE "runId" = 'wf_c_039' AND "seq" >= 1000`, []);
    // Statistics reach pg_stat_user_tables a moment after the transaction (PostgreSQL 15 flushes them at most once a second).
    for (let i = 0; i < 60 && (await dead()) < 3000; i++) await new Promise((r) => setTimeout(r, 250));
    expect(await dead()).toBeGreaterThanOrEqual(3000);
    expect(await vacuumDeadRows(t.db, CHECKPOINT_SCHEMA)).toContain("RunEvent");
    for (let i = 0; i < 60 && (await dead()) > 0; i++) await new Promise((r) => setTimeout(r, 250));
    expect(await dead()).toBe(0);
    // Below the threshold nothing is vacuumed.
    expect(await vacuumDeadRows(t.db, CHECKPOINT_SCHEMA)).not.toContain("RunEvent");
  });

  it.runIf(provider === "sqlite")("SQLite: keeps as many free pages as the last interval used, gives the rest back, truncates the WAL", async () => {
    const file = t.db.url.replace(/^file:/, "");
    const carry = newPassCarry();
    const pass = async () => (await runRetentionPass({ db: t.db, policy, settings, owner: "test:1:a", now: () => NOW, carry })) as PassSummary;
    const first = await pass();
    // No interval seen yet: every free page goes back.
    expect(first.sqlite?.freePagesKept).toBe(0);
    expect(first.sqlite?.walBusy).toBe(false);
    // Truncated, then only the lease's release written after it (a frame or two).
    expect(statSync(`${file}-wal`).size).toBeLessThan(3 * 4096);
    // An "interval" of new runs, then the pass that prunes them again.
    const usedAfterFirst = carry.usedPagesAfter ?? NaN;
    await fill(t.db, backlog("wf_e", 30), { wf_e: { maxRuns: 1 } });
    const growth = (await usedPages(t.db)) - usedAfterFirst;
    const second = await pass();
    expect(second.runs).toBe(29);
    expect(second.sqlite?.freePagesKept).toBeGreaterThan(0);
    expect(second.sqlite?.freePagesKept).toBeLessThanOrEqual(growth);
    expect(statSync(`${file}-wal`).size).toBeLessThan(3 * 4096);
    // Nothing written since: nothing to keep room for.
    const third = await pass();
    expect(third.sqlite?.freePagesKept).toBeLessThanOrEqual(2);
  });
});

describe.each(providers)("audit log retention on %s", (provider: DbProvider) => {
  let t: TestDatabase;
  const entry = (action: AuditAction, ageDays: number, id?: string) => {
    const row = toAuditInsert({ workspaceId: DEFAULT_WORKSPACE_ID, action, actor: null, target: { type: "run", id: id ?? action } }, NOW - ageDays * DAY);
    return id ? { ...row, targetId: id } : row;
  };
  const ids = async () => (await queryRaw(t.db, `SELECT "targetId" AS id FROM "AuditEntry" ORDER BY "id"`, [])).map((r) => String(r.id));

  beforeAll(async () => {
    t = await createTestDatabase(provider);
  }, 60_000);
  afterAll(async () => t?.drop());

  it("removes run starts after runStartDays and every other entry after days, through the writers the server uses", async () => {
    const specs: [AuditAction, number, string][] = [
      ["run.started", 1, "start_1d"],
      ["run.started", 29, "start_29d"],
      ["run.started", 31, "start_31d"],
      ["run.started", 400, "start_400d"],
      ["workflow.saved", 31, "saved_31d"],
      ["run.cancelled", 100, "cancel_100d"],
      ["approval.answered", 364, "approval_364d"],
      ["auth.sign_in", 366, "sign_in_366d"],
      ["member.removed", 4000, "removed_4000d"],
    ];
    for (const [action, age, id] of specs) await insertAuditEntry(t.db, entry(action, age, id));
    const r = (await runRetentionPass({ db: t.db, policy, settings, owner: "test:1:audit", now: () => NOW })) as PassSummary;
    expect(r.auditEntries).toBe(4);
    expect((await ids()).sort()).toEqual(["approval_364d", "cancel_100d", "saved_31d", "start_1d", "start_29d"].sort());
  });

  it("follows the configured days, fractions included, and works through a backlog in batches", async () => {
    // 1,500 run starts of 2 hours ago in one transaction, and a sign-in of 20 minutes ago.
    await writeAtomically(
      t.db,
      Array.from({ length: 1500 }, (_, i) => auditEntryInsert(entry("run.started", 2 / 24, `bulk_${i}`))),
    );
    await insertAuditEntry(t.db, entry("auth.sign_in", 20 / 1440, "recent_sign_in"));
    const audit = { days: 1 / 48, runStartDays: 1 / 24 }; // 30 minutes and 1 hour
    const r = (await runRetentionPass({ db: t.db, policy, audit, settings, owner: "test:1:audit", now: () => NOW })) as PassSummary;
    // The bulk goes (several batches: the first is 500), and so do the older entries the first pass kept.
    expect(r.auditEntries).toBe(1500 + 5);
    expect(r.batches).toBeGreaterThanOrEqual(3);
    expect(await ids()).toEqual(["recent_sign_in"]);
  });
});
