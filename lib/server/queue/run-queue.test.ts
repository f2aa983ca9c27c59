// The queue adapter on real Redis and both databases, without worker threads: claims are FIFO per
// workflow and capped by maxConcurrentRuns (the database decides), a full workflow's jobs are delayed
// and do not block another workflow's, every waiting run is executed exactly once, and the
// reconciler re-announces runs whose jobs were lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { createRun, findRun } from "@/lib/db/runs";
import { appendRunEvents } from "@/lib/db/run-events";
import { claimNextQueuedRun, QUEUE_LEASE_EXPIRY, QUEUE_LEASE_OWNER } from "@/lib/db/run-claims";
import { createTestDatabase, testProviders, type TestDatabase } from "@/lib/db/testing";
import { RunConsumer, fullBackoffMs, type QueueExecutor } from "./consumer";
import { reconcileOnce } from "./reconcile";
import { RunQueue } from "./run-queue";
import { redisAnswers } from "./testing/spawn-worker";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

const redis = await redisAnswers(REDIS_URL);
if (!redis) console.warn("\n*** run queue tests SKIPPED: no Redis at TEST_REDIS_URL ***\n");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;

/** Queued runs waiting in the shared queue, created in order (createdAt apart so FIFO is observable). */
async function queueRuns(db: Database, workflowId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `run_q${(n++).toString().padStart(6, "0")}${workflowId}`;
    await createRun(db, {
      id,
      workspaceId: "ws_default",
      workflowId,
      workflowVersion: 1,
      trigger: "api",
      threadId: id,
      input: {},
      lease: { owner: QUEUE_LEASE_OWNER, expiresAt: QUEUE_LEASE_EXPIRY },
    });
    ids.push(id);
    await sleep(2);
  }
  return ids;
}

async function makeWorkflow(db: Database, id: string) {
  await db.prisma.workflow.create({ data: { id, workspaceId: "ws_default", name: id, currentVersion: 1 } });
}

describe("fullBackoffMs", () => {
  it("grows from 50 ms and stops at 5 s", () => {
    expect(fullBackoffMs(1, () => 0)).toBe(100);
    expect(fullBackoffMs(3, () => 0)).toBe(400);
    expect(fullBackoffMs(20, () => 0)).toBe(5000);
  });
});

describe.each(await testProviders())("claimNextQueuedRun on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await makeWorkflow(t.db, "wf_claim");
  });
  afterAll(() => t?.drop());

  it("claims the oldest waiting run first, at most `limit` running, then none", async () => {
    const ids = await queueRuns(t.db, "wf_claim", 3);
    await appendRunEvents(t.db, ids[0], [{ type: "run.queued", runId: ids[0], ts: Date.now(), position: 0 }], 0);
    const before = await findRun(t.db, ids[0]);
    const at = new Date();
    const claim = () => claimNextQueuedRun(t.db, "wf_claim", "me", new Date(Date.now() + 30_000), at, 2);
    // The claim hands over the row as it was before it (parsed like findRun's), the next event's seq,
    // the first event (its pinned-data choice) and whether it took the last free slot.
    expect(await claim()).toEqual({
      id: ids[0],
      workflowId: "wf_claim",
      startedAt: null,
      row: before,
      nextSeq: 1,
      firstEvent: { type: "run.queued", runId: ids[0], seq: 0, ts: expect.any(Number), position: 0 },
      // Two more wait, one slot is left.
      backlog: true,
    });
    expect(await claim()).toMatchObject({ id: ids[1], nextSeq: 0, firstEvent: null, backlog: true });
    expect(await claim()).toBe("full");
    await t.db.prisma.run.update({ where: { id: ids[0] }, data: { status: "succeeded", leaseOwner: null } });
    expect(await claim()).toMatchObject({ id: ids[2], backlog: false });
    await t.db.prisma.run.update({ where: { id: ids[1] }, data: { status: "succeeded", leaseOwner: null } });
    expect(await claim()).toBe("none");
    const row = await t.db.prisma.run.findUniqueOrThrow({ where: { id: ids[2] } });
    expect([row.status, row.leaseOwner, row.startedAt?.getTime()]).toEqual(["running", "me", at.getTime()]);
  });
});

describe.skipIf(!redis)("RunConsumer on Redis (PostgreSQL when reachable)", () => {
  let t: TestDatabase;
  let queue: RunQueue;
  const prefix = `aura-test-rq-${process.pid}-${Date.now().toString(36)}`;
  beforeAll(async () => {
    const providers = await testProviders();
    t = await createTestDatabase(providers.includes("postgresql") ? "postgresql" : "sqlite");
    queue = new RunQueue(REDIS_URL, prefix);
  });
  afterAll(async () => {
    await queue.queue.obliterate({ force: true }).catch(() => {});
    const keys = await queue.redis().keys(`${prefix}:*`);
    if (keys.length) await queue.redis().del(...keys);
    await queue.close();
    await t?.drop();
  });

  /**
   * An executor like the run manager's, without worker threads: claims with the real query, "executes"
   * for `ms`, records the order runs started in and the most running at once per workflow.
   */
  function executor(limits: Record<string, number>, ms: number) {
    const started: string[] = [];
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const exec: QueueExecutor = {
      async runNextQueued(workflowId) {
        const c = await claimNextQueuedRun(t.db, workflowId, "worker", new Date(Date.now() + 30_000), new Date(), limits[workflowId] ?? 1);
        if (c === "full" || c === "none") return c;
        started.push(c.id);
        running.set(workflowId, (running.get(workflowId) ?? 0) + 1);
        peak.set(workflowId, Math.max(peak.get(workflowId) ?? 0, running.get(workflowId)!));
        await sleep(ms);
        running.set(workflowId, running.get(workflowId)! - 1);
        await t.db.prisma.run.update({ where: { id: c.id }, data: { status: "succeeded", leaseOwner: null, finishedAt: new Date() } });
        return c.backlog ? "ran-backlog" : "ran";
      },
    };
    return { exec, started, peak };
  }

  async function announce(workflowId: string, ids: string[]) {
    for (const id of ids) await queue.announce({ workflowId, runId: id });
  }

  async function allDone(ids: string[], ms = 20_000) {
    for (const until = Date.now() + ms; ; await sleep(50)) {
      const left = await t.db.prisma.run.count({ where: { id: { in: ids }, status: { not: "succeeded" } } });
      if (!left) return;
      if (Date.now() > until) throw new Error(`${left} runs never finished`);
    }
  }

  it("executes every run once, FIFO per workflow, never more than the limit at once, and a busy workflow does not starve another", async () => {
    await makeWorkflow(t.db, "wf_busy");
    await makeWorkflow(t.db, "wf_small");
    const { exec, started, peak } = executor({ wf_busy: 2, wf_small: 1 }, 120);
    // Two consumers: two worker processes on one queue.
    const consumers = [new RunConsumer(queue, exec, { concurrency: 4 }), new RunConsumer(queue, exec, { concurrency: 4 })];
    try {
      const busy = await queueRuns(t.db, "wf_busy", 30);
      await announce("wf_busy", busy);
      const small = await queueRuns(t.db, "wf_small", 2);
      await announce("wf_small", small);
      await allDone([...busy, ...small]);
      // Every run once.
      expect([...started].sort()).toEqual([...busy, ...small].sort());
      // FIFO per workflow: the database hands out the oldest first. Two claims of the busy workflow
      // may succeed at once (2 slots) and be heard here in either order, never further apart.
      const busyOrder = started.filter((id) => busy.includes(id));
      expect(
        busyOrder.map((id, i) => Math.abs(busy.indexOf(id) - i)).every((d) => d <= 1),
        busyOrder.join(" "),
      ).toBe(true);
      expect(started.filter((id) => small.includes(id))).toEqual(small);
      // maxConcurrentRuns across both consumers.
      expect(peak.get("wf_busy")).toBe(2);
      expect(peak.get("wf_small")).toBe(1);
      // Fair share: the small workflow, queued behind the busy one's whole backlog (30 runs, 2 at a
      // time), did not wait for it: both its runs started before a third of the busy runs had.
      const lastSmall = Math.max(...small.map((id) => started.indexOf(id)));
      expect(lastSmall, started.join(" ")).toBeLessThan(12);
    } finally {
      await Promise.all(consumers.map((c) => c.close(5000)));
    }
  }, 40_000);

  it("the reconciler re-announces runs whose jobs were lost, once per round across processes", async () => {
    // Jobs left over by the tests above (handoffs leave some) would count as the runs' jobs.
    await queue.queue.drain(true);
    await makeWorkflow(t.db, "wf_lost");
    const lost = await queueRuns(t.db, "wf_lost", 3);
    // No announcement (as if Redis lost the jobs). Two processes race for the round: one wins.
    const [a, b] = await Promise.all([reconcileOnce(queue, async () => t.db, 2000), reconcileOnce(queue, async () => t.db, 2000)]);
    expect([a, b].sort()).toEqual([0, 3]);
    const { exec, started } = executor({ wf_lost: 5 }, 10);
    const consumer = new RunConsumer(queue, exec, { concurrency: 2 });
    try {
      await allDone(lost);
      expect([...started].sort()).toEqual([...lost].sort()); // each once (FIFO: the test above)
    } finally {
      await consumer.close(5000);
    }
  }, 30_000);

  it("the reconciler announces only the waiting runs that have no job (one job executes one run)", async () => {
    await queue.queue.drain(true);
    await queue.redis().del(`${prefix}:reconcile-lock`); // the round of the test above
    await makeWorkflow(t.db, "wf_partly");
    const runs = await queueRuns(t.db, "wf_partly", 4);
    await announce("wf_partly", runs.slice(0, 3));
    const before = await queue.counts();
    expect(await reconcileOnce(queue, async () => t.db, 2000)).toBe(1);
    expect((await queue.counts()).waiting).toBe(before.waiting + 1);
    await queue.redis().del(`${prefix}:reconcile-lock`);
    // Every waiting run has its job now: the next round adds none.
    expect(await reconcileOnce(queue, async () => t.db, 2000)).toBe(0);
    const { exec, started } = executor({ wf_partly: 4 }, 10);
    const consumer = new RunConsumer(queue, exec, { concurrency: 2 });
    try {
      await allDone(runs);
      expect([...started].sort()).toEqual([...runs].sort()); // each once (FIFO: the test above)
    } finally {
      await consumer.close(5000);
    }
  }, 30_000);

  it("a workflow with a backlog hands a settled run's slot on at once: a serial backlog does not wait on back-offs", async () => {
    await makeWorkflow(t.db, "wf_serial");
    const runs = await queueRuns(t.db, "wf_serial", 4);
    await announce("wf_serial", runs);
    const { exec, started, peak } = executor({ wf_serial: 1 }, 150);
    // A job that finds the workflow full sleeps 3 s (the real back-off grows to 5 s).
    const consumer = new RunConsumer(queue, exec, { concurrency: 4, fullBackoff: () => 3000 });
    const t0 = Date.now();
    try {
      await allDone(runs);
      expect(started).toEqual(runs);
      expect(peak.get("wf_serial")).toBe(1);
      // 4 × 150 ms back to back. Without the handoff the three other jobs, finding the workflow full,
      // sleep while the slot stays empty: 3 s at least.
      expect(Date.now() - t0).toBeLessThan(2500);
    } finally {
      await consumer.close(5000);
    }
  }, 30_000);
});
