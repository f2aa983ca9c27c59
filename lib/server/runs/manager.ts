import "server-only";
import os from "node:os";
import { LRUCache } from "lru-cache";
import { customAlphabet } from "nanoid";
import type { WorkflowDocument } from "@/lib/workflow";
import { closeCheckpointer, createCheckpointer } from "@/lib/engine/checkpointer";
import type { EngineEvent, EngineEventOf, RunEvent } from "@/lib/realtime/events";
import { publishRunEvents } from "@/lib/realtime/registry";
import type { Database } from "@/lib/db/client";
import { getDatabase } from "@/lib/db/database";
import * as runsRepo from "@/lib/db/runs";
import { appendRunEventBatches, listRunStory, nextSeq } from "@/lib/db/run-events";
import * as workflowsRepo from "@/lib/db/workflows";
import { findVersion } from "@/lib/db/workflow-versions";
import { logger } from "../observability/logger";
import { createDbMemoryService } from "./memory";
import type { FromWorker, JobOutcome, RunJob } from "./protocol";
import { runUsesPinnedData } from "./pinned-data";
import { RunErrorCode } from "./run-error-codes";
import { summarizeRunHistory } from "./run-history";
import { poolSize, WorkerPool, type PoolWorker } from "./worker-pool";

/** PostgreSQL schema of the LangGraph checkpoint tables (kept apart from Prisma's tables). */
export const CHECKPOINT_SCHEMA = "aura_checkpoints";

const nonce = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 8);

interface Active {
  runId: string;
  workflowId: string;
  worker: PoolWorker;
  nextSeq: number;
  pending: EngineEvent[];
  /** Settling the run (after its events are written) chains on this, so it happens once, in order. */
  chain: Promise<void>;
  sawTerminal: boolean;
  waiting: EngineEventOf<"node.waiting">[];
  /** The engine's own start and end of the run (event timestamps), for the Run row; see settleRun. */
  firstSegment: boolean;
  startedTs?: number;
  endedTs?: number;
  /** Failed attempts in a row to store this run's events. */
  writeFailures: number;
  /** Tokens and cost of all the run's finished nodes so far (earlier segments included): the Run row's totals. */
  used: { input: number; output: number; costUsd: number };
  settle: () => void;
}

interface WorkflowQueue {
  limit: number;
  running: number;
  items: string[];
  /** Set while the workflow's limit is reached in the database (runs of other servers count): retried shortly. */
  full: NodeJS.Timeout | null;
}

/** How soon a queue whose workflow was full tries again (slots freed by another server are not announced). */
const FULL_RETRY_MS = 250;

const runLog = logger.child({ component: "runs" });
const log = (level: "info" | "error", msg: string, extra: Record<string, unknown> = {}) => runLog[level](msg, extra);

/**
 * Executes runs: a per-workflow FIFO queue capped by the workflow's maxConcurrentRuns (backpressure,
 * not rejection), a pool of worker threads running the engine, and the main-thread side that persists
 * each run's events (per-run seq) BEFORE publishing them, then settles the Run row.
 * Durability: a process holds a lease on every run it queues or executes (renewed while alive);
 * `sweep` (at boot, then periodically) takes over unfinished runs whose owner died or whose lease
 * expired, and they continue from their last LangGraph checkpoint. One process per run at a time.
 */
export class RunManager {
  readonly nonce = nonce();
  readonly owner = `${os.hostname()}:${process.pid}:${this.nonce}`;
  readonly leaseMs = Math.max(1000, Number(process.env.AURA_LEASE_MS) || 30_000);
  private pool: WorkerPool | null = null;
  private readonly queues = new Map<string, WorkflowQueue>();
  private readonly held = new Set<string>();
  private readonly active = new Map<string, Active>();
  /** Documents of workflow versions (versions never change), most recently used 256 kept. */
  private readonly docs = new LRUCache<string, WorkflowDocument>({ max: 256 });
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private closing = false;

  /** Starts the worker pool and the lease/recovery loop, and recovers unfinished runs now. */
  async start(): Promise<{ recovered: number }> {
    this.workers();
    if (!this.timer) {
      this.timer = setInterval(() => void this.sweep().catch((err) => log("error", "run sweep failed", { err: String(err) })), Math.floor(this.leaseMs / 3));
      this.timer.unref();
    }
    return { recovered: await this.sweep() };
  }

  private workers(): WorkerPool {
    this.pool ??= new WorkerPool(poolSize(), (w, m) => this.onWorkerMessage(w, m), (w, err) => this.onWorkerExit(w, err));
    return this.pool;
  }

  /** Resolves when the pool's workers have loaded the engine (benches, tests). */
  async ready(): Promise<void> {
    await this.workers().ready();
  }

  leaseExpiry(): Date {
    return new Date(Date.now() + this.leaseMs);
  }

  /** How many runs of a workflow would wait before a new one starts. */
  queuedAhead(workflowId: string, limit: number): number {
    const q = this.queues.get(workflowId);
    if (!q) return 0;
    return Math.max(0, q.running + q.items.length - limit + 1);
  }

  /** Queue depth (runs waiting for a slot here) and runs executing here: metrics. */
  queueStats(): { queued: number; active: number } {
    let queued = 0;
    for (const q of this.queues.values()) queued += q.items.length;
    return { queued, active: this.active.size };
  }

  /** True when this process executes the run right now. */
  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** The document of a workflow version (cached; versions never change). */
  async document(db: Database, workflowId: string, version: number): Promise<WorkflowDocument> {
    const key = `${workflowId}@${version}`;
    let doc = this.docs.get(key);
    if (!doc) {
      const v = await findVersion(db, workflowId, version);
      if (!v) throw new Error(`Workflow "${workflowId}" has no version ${version}.`);
      doc = v.document;
      this.docs.set(key, doc);
    }
    return doc;
  }

  /** Queues a run this process holds the lease of; it starts when its workflow has a free slot. */
  async enqueue(run: { id: string; workflowId: string; workflowVersion: number }): Promise<void> {
    if (this.closing) return;
    const db = await getDatabase();
    const doc = await this.document(db, run.workflowId, run.workflowVersion);
    this.held.add(run.id);
    let q = this.queues.get(run.workflowId);
    if (!q) this.queues.set(run.workflowId, (q = { limit: doc.settings.maxConcurrentRuns, running: 0, items: [], full: null }));
    q.limit = doc.settings.maxConcurrentRuns;
    if (!q.items.includes(run.id)) q.items.push(run.id);
    this.pump(run.workflowId);
  }

  private pump(workflowId: string) {
    const q = this.queues.get(workflowId);
    if (!q || this.closing) return;
    while (q.running < q.limit && q.items.length && !q.full) {
      const id = q.items.shift()!;
      q.running++;
      let claim: "claimed" | "full" | "gone" = "gone";
      this.launch(id, q.limit)
        .then((result) => {
          claim = result;
          if (claim !== "full") return;
          // Every slot is taken, by runs of other servers too: this run keeps its place and the queue
          // waits a moment (a run settling here frees a slot at once, see finally).
          q.items.unshift(id);
          q.full ??= setTimeout(() => {
            q.full = null;
            this.pump(workflowId);
          }, FULL_RETRY_MS);
        })
        .catch((err) => log("error", "run launch failed", { runId: id, err: err instanceof Error ? err.stack : String(err) }))
        .finally(() => {
          q.running--;
          if (claim !== "full" && q.full) {
            clearTimeout(q.full);
            q.full = null;
          }
          if (!q.running && !q.items.length) this.queues.delete(workflowId);
          this.pump(workflowId);
        });
    }
  }

  /** Removes a run from this process's queue (cancel before it started). True if it was queued here. */
  dequeue(runId: string, workflowId: string): boolean {
    const q = this.queues.get(workflowId);
    const i = q?.items.indexOf(runId) ?? -1;
    if (i < 0) return false;
    q!.items.splice(i, 1);
    this.held.delete(runId);
    return true;
  }

  /**
   * Executes one run to its next stop (finished, failed, cancelled or waiting); resolves when its row
   * is settled. "full" (nothing done) when the workflow already runs `limit` runs across all servers.
   */
  private async launch(runId: string, limit: number): Promise<"claimed" | "full" | "gone"> {
    const db = await getDatabase();
    const row = await runsRepo.findRun(db, runId);
    if (!row || (row.status !== "queued" && row.status !== "running") || this.closing) {
      this.held.delete(runId);
      return "gone";
    }
    const claim = await runsRepo.claimRun(db, row, this.owner, this.leaseExpiry(), row.startedAt ?? new Date(), limit);
    if (claim !== "claimed") {
      if (claim === "gone") this.held.delete(runId);
      return claim;
    }
    const doc = await this.document(db, row.workflowId, row.workflowVersion);
    await this.checkpointTables(db);
    const seq = await nextSeq(db, runId);
    // A run that ran before (crash recovery, approval, resume) continues with what it already used:
    // the rest of its run timeout, and its token and cost totals.
    const history = seq > 1 ? summarizeRunHistory(await listRunStory(db, runId), Date.now()) : null;
    const usePinnedData = await runUsesPinnedData(db, runId);
    const worker = this.workers().pick();
    worker.load++;
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    const a: Active = { runId, workflowId: row.workflowId, worker, nextSeq: seq, pending: [], chain: Promise.resolve(), sawTerminal: false, waiting: [], firstSegment: !row.startedAt, writeFailures: 0, used: { ...(history?.tokens ?? { input: 0, output: 0 }), costUsd: history?.costUsd ?? 0 }, settle };
    this.active.set(runId, a);
    const job: RunJob = {
      runId,
      threadId: row.threadId,
      workspaceId: row.workspaceId,
      doc,
      input: JSON.parse(row.input),
      checkpointTarget: checkpointTarget(db),
      checkpointSchema: CHECKPOINT_SCHEMA,
      ...(history?.usedMs ? { usedMs: history.usedMs } : {}),
      ...(usePinnedData ? { usePinnedData } : {}),
      ...(row.pendingDecision ? { decision: JSON.parse(row.pendingDecision) } : {}),
    };
    worker.post({ type: "run", job });
    await settled;
    return "claimed";
  }

  private readonly setups = new Map<string, Promise<void>>();
  /** Creates the PostgreSQL checkpoint tables once, here, so that workers do not race to create them. */
  private checkpointTables(db: Database): Promise<void> {
    if (db.provider !== "postgresql") return Promise.resolve();
    let p = this.setups.get(db.url);
    if (!p) {
      p = createCheckpointer(db.url, { postgresSchema: CHECKPOINT_SCHEMA }).then(closeCheckpointer);
      this.setups.set(db.url, p);
      p.catch(() => this.setups.delete(db.url));
    }
    return p;
  }

  /** Asks the worker to stop a run this process executes. True if it runs here. */
  cancelActive(runId: string, reason: string): boolean {
    const a = this.active.get(runId);
    if (!a) return false;
    a.worker.post({ type: "cancel", runId, reason });
    return true;
  }

  // ── Worker messages ─────────────────────────────────────────────────────────────────────────────

  private onWorkerMessage(worker: PoolWorker, m: FromWorker) {
    if (m.type === "events") {
      const a = this.active.get(m.runId);
      if (!a || this.closing) return;
      a.pending.push(...m.events);
      this.scheduleWrite();
    } else if (m.type === "done") {
      const a = this.active.get(m.runId);
      if (!a) return;
      a.chain = a.chain
        .then(() => this.settleRun(a, m.outcome))
        .catch((err) => log("error", "settling run failed", { runId: a.runId, err: String(err) }))
        .finally(() => this.release(a));
    } else if (m.type === "rpc") {
      void this.answerRpc(worker, m);
    }
  }

  private onWorkerExit(worker: PoolWorker, error: unknown) {
    log("error", "run worker died", { worker: worker.index, err: String(error) });
    for (const a of this.active.values()) {
      if (a.worker !== worker) continue;
      a.chain = a.chain
        .then(() => this.settleRun(a, { status: "failed", error: { code: RunErrorCode.WORKER_CRASHED, message: `The run worker stopped (${String(error)}); resume the run to continue from its last checkpoint.` } }))
        .catch(() => {})
        .finally(() => this.release(a));
    }
  }

  private async answerRpc(worker: PoolWorker, m: Extract<FromWorker, { type: "rpc" }>) {
    try {
      const db = await getDatabase();
      let value: unknown;
      if (m.method === "memory.store") {
        const [namespace, content, tags] = m.args as [string, string, string[]];
        value = await createDbMemoryService(db, m.workspaceId).store(namespace, content, tags);
      } else if (m.method === "memory.search") {
        const [namespace, query, topK] = m.args as [string, string, number];
        value = await createDbMemoryService(db, m.workspaceId).search(namespace, query, topK);
      } else {
        const [workflowId, version] = m.args as [string, number];
        const w = await workflowsRepo.findWorkflow(db, workflowId);
        value = w && w.workspaceId === m.workspaceId ? await this.document(db, workflowId, version || w.currentVersion).catch(() => null) : null;
      }
      worker.post({ type: "rpc-result", id: m.id, ok: true, value });
    } catch (err) {
      worker.post({ type: "rpc-result", id: m.id, ok: false, error: { code: m.method === "loadWorkflow" ? "SUB_WORKFLOW_LOAD_FAILED" : "MEMORY_ERROR", message: err instanceof Error ? err.message : String(err) } });
    }
  }

  private writes: Promise<void> = Promise.resolve();
  private writeScheduled = false;

  /** Writes pending events once this turn of the event loop is over (collecting every worker message of the turn). */
  private scheduleWrite() {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => {
      this.writeScheduled = false;
      void this.writeEvents();
    });
  }

  /**
   * Persists the pending events of every active run, each with its run's next seqs, in one INSERT,
   * then publishes them (persisted before published, in order per run). Writes are serialised: a
   * caller that awaits this knows every event pending at the call is stored and published.
   * One statement per turn instead of one per run: Prisma's per-query cost on the main thread was
   * what held the event loop up with 200 concurrent runs.
   */
  private writeEvents(): Promise<void> {
    this.writes = this.writes.then(async () => {
      const runs = [...this.active.values()].filter((a) => a.pending.length);
      if (!runs.length || this.closing) return;
      const batches = runs.map((a) => ({ runId: a.runId, events: a.pending.splice(0), firstSeq: a.nextSeq }));
      try {
        const stored = await appendRunEventBatches(await getDatabase(), batches);
        runs.forEach((a, i) => {
          a.writeFailures = 0;
          this.noteStored(a, stored[i]);
        });
        publishRunEvents(stored.flat());
      } catch (err) {
        // Nothing was stored (one atomic INSERT): put the events back and try again shortly. A run whose
        // events keep failing (its row was deleted with its workflow) gives up after a few tries.
        log("error", "persisting run events failed", { runs: runs.length, err: String(err) });
        runs.forEach((a, i) => {
          if (++a.writeFailures <= 5) a.pending.unshift(...batches[i].events);
        });
        if (runs.some((a) => a.pending.length)) setTimeout(() => this.scheduleWrite(), 200).unref();
      }
    });
    return this.writes;
  }

  /** Advances the run's seq and remembers what settling it needs (terminal event, totals, approvals). */
  private noteStored(a: Active, stored: RunEvent[]) {
    if (!stored.length) return;
    a.nextSeq = stored[stored.length - 1].seq + 1;
    for (const e of stored) {
      if (e.type === "run.finished" || e.type === "run.failed" || e.type === "run.cancelled") {
        a.sawTerminal = true;
        a.endedTs = e.ts;
        // The engine measured this segment's duration from its start: on a run's first segment that
        // start is the run's start, and the row's duration then equals the event's.
        if (a.firstSegment) a.startedTs = e.ts - e.durationMs;
      }
      if (e.type === "node.finished") {
        a.used.input += e.tokens?.input ?? 0;
        a.used.output += e.tokens?.output ?? 0;
        a.used.costUsd += e.costUsd ?? 0;
      }
      if (e.type === "node.waiting") a.waiting.push(e as EngineEventOf<"node.waiting">);
    }
  }

  /** Writes the outcome to the Run row (only while it is still "running": a cancel from elsewhere wins). */
  private async settleRun(a: Active, outcome: JobOutcome): Promise<void> {
    if (this.closing) return;
    await this.writeEvents();
    const db = await getDatabase();
    if (!a.sawTerminal && outcome.status !== "waiting") {
      // The engine could not start (compile error, busy thread, worker crash): record why.
      const ev: EngineEvent =
        outcome.status === "cancelled"
          ? { type: "run.cancelled", runId: a.runId, ts: Date.now(), durationMs: 0 }
          : { type: "run.failed", runId: a.runId, ts: Date.now(), durationMs: 0, error: { code: outcome.error?.code ?? RunErrorCode.RUN_FAILED, message: outcome.error?.message ?? "The run failed." } };
      a.pending.push(ev);
      await this.writeEvents();
    }
    // The row's times are the engine's, so the dashboard's latency and the run view's duration agree;
    // claiming the run set a provisional startedAt.
    const now = a.endedTs ? new Date(a.endedTs) : new Date();
    // Every outcome drops the lease and records the totals (a failed or cancelled run spent them too).
    const common = {
      ...(a.startedTs ? { startedAt: new Date(a.startedTs) } : {}),
      leaseOwner: null,
      leaseExpiresAt: null,
      pendingDecision: null,
      tokensInput: a.used.input,
      tokensOutput: a.used.output,
      costUsd: Math.round(a.used.costUsd * 1e6) / 1e6,
    };
    let settled: boolean;
    if (outcome.status === "succeeded") {
      settled = await runsRepo.updateRun(db, a.runId, { ...common, status: "succeeded", result: JSON.stringify(outcome.result ?? null), finishedAt: now, errorCode: null, errorMessage: null, failedNodeId: null, waitingFor: null }, ["running"]);
    } else if (outcome.status === "waiting") {
      settled = await runsRepo.updateRun(db, a.runId, { ...common, status: "waiting", waitingFor: JSON.stringify(a.waiting) }, ["running"]);
    } else if (outcome.status === "cancelled") {
      settled = await runsRepo.updateRun(db, a.runId, { ...common, status: "cancelled", finishedAt: now, waitingFor: null }, ["running"]);
    } else {
      settled = await runsRepo.updateRun(
        db,
        a.runId,
        { ...common, status: "failed", finishedAt: now, errorCode: outcome.error?.code ?? RunErrorCode.RUN_FAILED, errorMessage: outcome.error?.message ?? "The run failed.", failedNodeId: outcome.error?.nodeId ?? null, waitingFor: null },
        ["running"],
      );
    }
    // A cancel recorded by another process (the row is already "cancelled"): still drop our lease.
    if (!settled) await runsRepo.releaseLease(db, a.runId, this.owner);
  }

  private release(a: Active) {
    if (this.active.get(a.runId) !== a) return;
    this.active.delete(a.runId);
    this.held.delete(a.runId);
    a.worker.load--;
    a.settle();
  }

  // ── Leases and recovery ─────────────────────────────────────────────────────────────────────────

  /** True for a lease owner that is certainly gone: this host, and its pid is dead (or it is an earlier manager of this process). */
  isDeadOwner(owner: string): boolean {
    const [host, pidText, n] = owner.split(":");
    if (host !== os.hostname()) return false;
    const pid = Number(pidText);
    if (pid === process.pid) return n !== this.nonce;
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
  }

  /**
   * Renews this process's leases, stops runs another process cancelled, and takes over unfinished
   * runs whose owner died or whose lease expired (oldest first). Returns how many it took.
   */
  sweep(): Promise<number> {
    if (this.sweeping) return this.sweeping.then(() => 0);
    const run = (async () => {
      const db = await getDatabase();
      await runsRepo.renewLeases(db, [...this.held], this.owner, this.leaseExpiry());
      const statuses = await runsRepo.runStatuses(db, [...this.active.keys()]);
      for (const [id, status] of statuses) if (status === "cancelled") this.cancelActive(id, "cancelled");
      let taken = 0;
      const now = Date.now();
      for (const row of await runsRepo.listUnfinishedRuns(db)) {
        if (this.held.has(row.id) || this.closing) continue;
        const free = !row.leaseOwner || !row.leaseExpiresAt || row.leaseExpiresAt.getTime() < now || this.isDeadOwner(row.leaseOwner);
        if (!free) continue;
        if (!(await runsRepo.takeLease(db, row.id, this.owner, this.leaseExpiry(), row.leaseOwner ? [row.leaseOwner] : []))) continue;
        taken++;
        log("info", "run recovered", { runId: row.id, status: row.status, from: row.leaseOwner });
        await this.enqueue(row);
      }
      // Approvals past their node's "give up after" time are rejected (imported lazily: service.ts imports this module).
      if (!this.closing) await (await import("./approval-timeouts")).expireOverdueApprovals(now);
      return taken;
    })();
    this.sweeping = run.then(() => undefined, () => undefined).finally(() => (this.sweeping = null));
    return run;
  }

  /** Stops the pool; runs in flight stay "running" and are taken over at the next start. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    for (const q of this.queues.values()) if (q.full) clearTimeout(q.full);
    await this.sweeping?.catch(() => {});
    try {
      await runsRepo.releaseAllLeases(await getDatabase(), this.owner);
    } catch {}
    await this.pool?.close();
    for (const a of this.active.values()) a.settle();
    this.active.clear();
    this.held.clear();
  }
}

/** Where the workers keep LangGraph checkpoints: the app's own database. */
export function checkpointTarget(db: Database): string {
  return db.provider === "sqlite" ? db.url.replace(/^file:/, "") : db.url;
}

const g = globalThis as { __auraRunManager?: RunManager };

/** The process-wide run manager (on globalThis: server.ts's bundle and Next's route bundles share it). */
export function getRunManager(): RunManager {
  return (g.__auraRunManager ??= new RunManager());
}

/** Stops and forgets the process-wide run manager (shutdown, tests). */
export async function shutdownRunManager(): Promise<void> {
  const m = g.__auraRunManager;
  g.__auraRunManager = undefined;
  await m?.close();
}

export type { RunEvent };
