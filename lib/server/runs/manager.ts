import "server-only";
import { customAlphabet } from "nanoid";
import type { WorkflowDocument } from "@/lib/workflow";
import { publishRunEvents } from "@/lib/realtime/registry";
import type { Database } from "@/lib/db/client";
import { getDatabase } from "@/lib/db/database";
import { isDatabaseUnavailable } from "@/lib/db/client-errors";
import * as runsRepo from "@/lib/db/runs";
import { claimNextQueuedRun, leasesHeldBy, QUEUE_LEASE_EXPIRY, QUEUE_LEASE_OWNER, setLeaseOwner } from "@/lib/db/run-claims";
import { listRunStory, nextSeq } from "@/lib/db/run-events";
import { processSlot } from "@/lib/process-singleton";
import { logger } from "../observability/logger";
import { auraRole, type AuraRole } from "../queue/config";
import { queueDispatcher } from "../queue/dispatch";
import { getRunQueue } from "../queue/runtime";
import type { FreshRun, RunQueueOwner } from "./requeue";
import { startActiveRun, type ActiveRun } from "./active-run";
import { expireOverdueApprovals } from "./approval-timeouts";
import { CHECKPOINT_SCHEMA, checkpointTablesSetup, checkpointTarget } from "./checkpoint-tables";
import { systemClock, type Clock } from "./clock";
import { DocumentCache } from "./document-cache";
import { EventWriter } from "./event-writer";
import { databaseLeaseStore, Leases, type LeasedRun, type LeaseStore } from "./leases";
import type { FromWorker, JobOutcome, RunJob } from "./protocol";
import { firstEventPinsData, runUsesPinnedData } from "./pinned-data";
import { RunErrorCode } from "./run-error-codes";
import { summarizeRunHistory } from "./run-history";
import { settleRun } from "./settle-run";
import { poolSize, WorkerPool, type PoolWorker } from "./worker-pool";
import { answerWorkerRpc } from "./worker-rpc";
import { WorkflowLimits } from "./workflow-limits";
import { WorkflowQueues, type LaunchResult } from "./workflow-queues";

const nonce = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 8);

/** How long a run whose settle meets an unreachable database keeps trying before it gives up its outcome. */
const SETTLE_RETRY_MS = 60_000;

const runLog = logger.child({ component: "runs" });
const log = (level: "info" | "error", msg: string, extra: Record<string, unknown> = {}) => runLog[level](msg, extra);

export interface RunManagerOptions {
  /** The app database (default: getDatabase, DATABASE_URL's). */
  database?: () => Promise<Database>;
  /** Time and timers (default: the system clock). */
  clock?: Clock;
  /** How long a lease lasts (default: AURA_LEASE_MS, else 30 s; at least 1 s). */
  leaseMs?: number;
  /** The lease queries (default: lib/db/runs over `database`). */
  leaseStore?: LeaseStore;
  /** What this process does (default: AURA_ROLE): a "web" process executes nothing (no pool, no sweeps). */
  role?: AuraRole;
  /**
   * Where use-cases queue runs (`queueOwner()`): null = this manager (in-process queues); default: the
   * shared BullMQ queue when REDIS_URL is set (queue mode), else null.
   */
  dispatcher?: RunQueueOwner | null;
}

/**
 * Executes runs in this process: a per-workflow queue (workflow-queues.ts) hands runs to the worker
 * pool (worker-pool.ts); their events are persisted in batches BEFORE they are published
 * (event-writer.ts), then the Run row is settled from the outcome (settle-run.ts). Workers' service
 * calls are answered by worker-rpc.ts.
 * Durability: a process holds a lease on every run it queues or executes (renewed while alive);
 * `sweep` (at boot, then every third of a lease) takes over unfinished runs whose owner died or whose
 * lease expired (leases.ts), and they continue from their last LangGraph checkpoint. One process per run.
 */
export class RunManager {
  readonly nonce = nonce();
  readonly leaseMs: number;
  readonly owner: string;
  readonly role: AuraRole;
  private readonly dispatcher: RunQueueOwner | null;
  private readonly database: () => Promise<Database>;
  private readonly clock: Clock;
  private readonly leases: Leases;
  private readonly queues: WorkflowQueues;
  private readonly events: EventWriter;
  private readonly docs = new DocumentCache();
  private readonly limits = new WorkflowLimits(this.docs);
  private readonly checkpointTables = checkpointTablesSetup();
  private pool: WorkerPool | null = null;
  /** Runs this process holds the lease of: queued here or executing here. */
  private readonly held = new Set<string>();
  /** Runs created by this process and queued here, not started yet: what their start needs without reading it. */
  private readonly fresh = new Map<string, FreshRun>();
  private readonly active = new Map<string, ActiveRun>();
  /** Runs whose outcome arrived (their settle is under way: their lease is dropped on purpose). */
  private readonly settling = new Set<string>();
  /** Runs executing here whose lease another process took (this process was too slow to renew): fenced. */
  private readonly lost = new Set<string>();
  private stopSweeps: (() => void) | null = null;
  private sweeping: Promise<void> | null = null;
  private closing = false;
  /** SIGTERM in queue mode: runs in flight go on, but nothing new is claimed or taken over here. */
  private draining = false;

  constructor(options: RunManagerOptions = {}) {
    this.database = options.database ?? getDatabase;
    this.clock = options.clock ?? systemClock;
    this.leaseMs = options.leaseMs ?? Math.max(1000, Number(process.env.AURA_LEASE_MS) || 30_000);
    this.leases = new Leases(options.leaseStore ?? databaseLeaseStore(this.database), this.clock, this.leaseMs, this.nonce);
    this.owner = this.leases.owner;
    this.role = options.role ?? auraRole();
    if (options.dispatcher !== undefined) this.dispatcher = options.dispatcher;
    else {
      const queue = getRunQueue();
      this.dispatcher = queue
        ? queueDispatcher(queue, (runId, message) =>
            log("error", "run queued, but the run queue is unreachable: it starts when Redis is back", { runId, message }),
          )
        : null;
    }
    this.queues = new WorkflowQueues({
      clock: this.clock,
      launch: (runId, limit) => this.launch(runId, limit),
      onLaunchError: (runId, err) => log("error", "run launch failed", { runId, err: err instanceof Error ? err.stack : String(err) }),
    });
    this.events = new EventWriter({
      database: this.database,
      clock: this.clock,
      runs: () => this.active.values(),
      closing: () => this.closing,
      publish: publishRunEvents,
      onError: (msg, extra) => log("error", msg, extra),
    });
  }

  /**
   * Starts the worker pool and the lease/recovery loop, and recovers unfinished runs now. A "web"
   * process executes nothing: it starts neither (worker processes recover runs and time out approvals).
   */
  async start(): Promise<{ recovered: number }> {
    if (this.role === "web") return { recovered: 0 };
    this.workers();
    this.stopSweeps ??= this.clock.every(
      Math.floor(this.leaseMs / 3),
      () => void this.sweep().catch((err) => log("error", "run sweep failed", { err: String(err) })),
    );
    return { recovered: await this.sweep() };
  }

  private workers(): WorkerPool {
    this.pool ??= new WorkerPool(
      poolSize(),
      (w, m) => this.onWorkerMessage(w, m),
      (w, err) => this.onWorkerExit(w, err),
    );
    return this.pool;
  }

  /** Resolves when the pool's workers have loaded the engine (benches, tests). */
  async ready(): Promise<void> {
    await this.workers().ready();
  }

  /** When a lease taken or renewed now expires. */
  leaseExpiry(): Date {
    return this.leases.expiry();
  }

  /**
   * Who queues runs for the use-cases (start, resume, retry, approvals, fork): the shared queue in
   * queue mode, else this manager. Its `owner` is the lease a queued run gets.
   */
  queueOwner(): RunQueueOwner {
    return this.dispatcher ?? this;
  }

  /** True when runs go through the shared queue (REDIS_URL). */
  get sharedQueue(): boolean {
    return this.dispatcher !== null;
  }

  /** Runs executing in this process right now (the workers panel). */
  inFlight(): number {
    return this.active.size;
  }

  /** How many runs of a workflow would wait before a new one starts. */
  queuedAhead(workflowId: string, limit: number): number {
    return this.queues.queuedAhead(workflowId, limit);
  }

  /** Queue depth (runs waiting for a slot here) and runs executing here: metrics. */
  queueStats(): { queued: number; active: number } {
    return { queued: this.queues.waiting(), active: this.active.size };
  }

  /** True when this process executes the run right now. */
  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** The document of a workflow version (cached; versions never change). */
  document(db: Database, workflowId: string, version: number): Promise<WorkflowDocument> {
    return this.docs.get(db, workflowId, version);
  }

  /**
   * Queues a run this process holds the lease of; it starts when its workflow has a free slot.
   * `fresh`: the run was just created here (its start then reads nothing: the claim still checks the row).
   */
  async enqueue(run: { id: string; workflowId: string; workflowVersion: number }, fresh?: FreshRun): Promise<void> {
    if (this.closing) return;
    const doc = await this.document(await this.database(), run.workflowId, run.workflowVersion);
    this.held.add(run.id);
    if (fresh) this.fresh.set(run.id, fresh);
    else this.fresh.delete(run.id);
    this.queues.enqueue(run.workflowId, run.id, doc.settings.maxConcurrentRuns);
  }

  /** Removes a run from this process's queue (cancel before it started). True if it was queued here. */
  dequeue(runId: string, workflowId: string): boolean {
    if (!this.queues.dequeue(workflowId, runId)) return false;
    this.held.delete(runId);
    this.fresh.delete(runId);
    return true;
  }

  /**
   * Executes one run to its next stop (finished, failed, cancelled or waiting); resolves when its row
   * is settled. "full" (nothing done) when the workflow already runs `limit` runs across all servers.
   */
  private async launch(runId: string, limit: number): Promise<LaunchResult> {
    const db = await this.database();
    // A run created here is known as inserted; whatever changed since (a cancel), the claim below
    // sees: it is a compare-and-set on the row's status and lease.
    const fresh = this.fresh.get(runId);
    const row = fresh?.row ?? (await runsRepo.findRun(db, runId));
    if (!row || (row.status !== "queued" && row.status !== "running") || this.closing) {
      this.held.delete(runId);
      this.fresh.delete(runId);
      return "gone";
    }
    let claim: Awaited<ReturnType<typeof runsRepo.claimRun>>;
    try {
      claim = await runsRepo.claimRun(db, row, this.owner, this.leaseExpiry(), row.startedAt ?? new Date(this.clock.now()), limit);
    } catch (err) {
      // (queuespeed) No pool connection in time (P2028 under load) or the database briefly away: the run
      // keeps its place and is tried again shortly, like "full". Thrown, it left the queue while its row
      // stayed queued under this process's renewed lease, where nothing would ever start it.
      if (!isDatabaseUnavailable(err) && (err as { code?: unknown } | null)?.code !== "P2028") throw err;
      log("error", "run claim failed: trying again shortly", { runId, err: String(err) });
      return "full";
    }
    // Only the first launch trusts what was known at creation: a run that must wait for a slot is read again.
    this.fresh.delete(runId);
    if (claim !== "claimed") {
      if (claim === "gone") this.held.delete(runId);
      return claim;
    }
    // The claim changed only status, lease and startedAt: the row read above serves the start.
    await this.execute(db, runId, !row.startedAt, { row, seq: fresh?.nextSeq, usePinnedData: fresh?.usePinnedData });
    return "claimed";
  }

  /**
   * Queue mode: claims the oldest run of a workflow waiting in the shared queue (FIFO per workflow, at
   * most the workflow's maxConcurrentRuns running across all processes) and executes it to its next
   * stop. Resolves when it is settled: "ran", "ran-backlog" (more runs of the workflow waited than
   * slots were free: their jobs sleep on a back-off), "full" or "none" (nothing waits, or closing).
   */
  async runNextQueued(workflowId: string): Promise<"ran" | "ran-backlog" | "full" | "none"> {
    if (this.closing || this.draining) return "none";
    const db = await this.database();
    const limit = await this.limits.get(db, workflowId);
    if (limit === null) return "none";
    const claimed = await claimNextQueuedRun(db, workflowId, this.owner, this.leaseExpiry(), new Date(this.clock.now()), limit);
    if (claimed === "full" || claimed === "none") return claimed;
    this.held.add(claimed.id);
    if (this.closing) {
      // Closing between the claim and the start: hand the run back to the queue untouched.
      await runsRepo.updateRun(db, claimed.id, { status: "queued", startedAt: claimed.startedAt }, ["running"]);
      await setLeaseOwner(db, claimed.id, this.owner, QUEUE_LEASE_OWNER, QUEUE_LEASE_EXPIRY);
      this.held.delete(claimed.id);
      return "none";
    }
    try {
      // (queuespeed) The claim read the row, the next seq and the first event: the start does not read them again.
      await this.execute(db, claimed.id, !claimed.startedAt, {
        row: claimed.row,
        seq: claimed.nextSeq,
        usePinnedData: firstEventPinsData(claimed.firstEvent),
      });
    } catch (err) {
      // Could not start it (database trouble): drop our lease so the lease sweep of any process retries it.
      log("error", "run launch failed", { runId: claimed.id, err: err instanceof Error ? err.stack : String(err) });
      this.held.delete(claimed.id);
      await runsRepo.releaseLease(db, claimed.id, this.owner).catch(() => {});
    }
    return claimed.backlog ? "ran-backlog" : "ran";
  }

  /** Stops claiming and taking over runs (a draining worker); runs in flight go on. */
  drain(): void {
    this.draining = true;
  }

  /** Resolves when no run executes here any more (a drain's end). */
  async idle(pollMs = 100): Promise<void> {
    while (this.active.size) await new Promise((r) => setTimeout(r, pollMs));
  }

  /**
   * Executes a run this process just claimed (status "running", our lease) to its next stop; resolves
   * when it is settled. `known`: what the caller already read (the row; for a run created here, its
   * next seq and pinned-data choice), so it is not read again.
   */
  private async execute(
    db: Database,
    runId: string,
    firstSegment: boolean,
    known: { row?: runsRepo.RunRow; seq?: number; usePinnedData?: boolean } = {},
  ): Promise<void> {
    const row = known.row ?? (await runsRepo.findRun(db, runId));
    if (!row) {
      this.held.delete(runId);
      return;
    }
    const doc = await this.document(db, row.workflowId, row.workflowVersion);
    await this.checkpointTables(db);
    const seq = known.seq ?? (await nextSeq(db, runId));
    // A run that ran before (crash recovery, approval, resume) continues with what it already used:
    // the rest of its run timeout, and its token and cost totals.
    const history = seq > 1 ? summarizeRunHistory(await listRunStory(db, runId), this.clock.now()) : null;
    const usePinnedData = known.usePinnedData ?? (await runUsesPinnedData(db, runId));
    const worker = this.workers().pick();
    worker.load++;
    const { run: a, settled } = startActiveRun({ runId, workflowId: row.workflowId, worker, nextSeq: seq, firstSegment, used: history });
    this.active.set(runId, a);
    const job: RunJob = {
      runId,
      threadId: row.threadId,
      workspaceId: row.workspaceId,
      doc,
      input: row.input,
      checkpointTarget: checkpointTarget(db),
      checkpointSchema: CHECKPOINT_SCHEMA,
      ...(history?.usedMs ? { usedMs: history.usedMs } : {}),
      ...(history?.cutOff.length ? { cutOff: history.cutOff } : {}),
      ...(usePinnedData ? { usePinnedData } : {}),
      ...(row.pendingDecision ? { decision: row.pendingDecision } : {}),
    };
    worker.post({ type: "run", job });
    await settled;
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
      if (!a || this.closing || this.lost.has(m.runId)) return;
      a.pending.push(...m.events);
      this.events.schedule();
    } else if (m.type === "done") {
      const a = this.active.get(m.runId);
      // A fenced run: its new owner settles it; here it only frees the slot.
      if (a && this.lost.delete(m.runId)) this.release(a);
      else if (a) this.settle(a, m.outcome, (err) => log("error", "settling run failed", { runId: a.runId, err: String(err) }));
    } else if (m.type === "persist") {
      // Everything this worker sent before is in `pending` (messages arrive in order): store it, then
      // let its task save its writes. A failed store answers too (it is retried; the database is
      // likely down for the checkpoint as well), as does a closing manager.
      const answer = () => worker.post({ type: "persisted", id: m.id });
      void this.events.flush().then(answer, answer);
    } else if (m.type === "rpc") {
      void answerWorkerRpc(this.database, m, (db, id, version) => this.document(db, id, version)).then((answer) => worker.post(answer));
    }
  }

  private onWorkerExit(worker: PoolWorker, error: unknown) {
    log("error", "run worker died", { worker: worker.index, err: String(error) });
    for (const a of this.active.values()) {
      if (a.worker !== worker) continue;
      if (this.lost.has(a.runId)) {
        this.release(a);
        continue;
      }
      this.settle(
        a,
        {
          status: "failed",
          error: {
            code: RunErrorCode.WORKER_CRASHED,
            message: `The run worker stopped (${String(error)}); resume the run to continue from its last checkpoint.`,
          },
        },
        () => {},
      );
    }
  }

  /** Settles the run's row after its events (once, in order), then frees its slot and worker. */
  private settle(a: ActiveRun, outcome: JobOutcome, onError: (err: unknown) => void) {
    this.settling.add(a.runId);
    a.chain = a.chain
      .then(async () => {
        // A database that is briefly down (restart, failover) must not cost the outcome: the run keeps
        // its slot and lease and the settle is tried again, up to SETTLE_RETRY_MS. Released unsettled,
        // its lease would lapse and another process would replay its end.
        for (let delay = 250, waited = 0; ; waited += delay, delay = Math.min(delay * 2, 4000)) {
          if (this.closing) return;
          try {
            return await settleRun(
              await this.database(),
              a,
              outcome,
              this.owner,
              () => this.events.flush(),
              () => this.clock.now(),
            );
          } catch (err) {
            if (!isDatabaseUnavailable(err) || waited >= SETTLE_RETRY_MS) throw err;
            log("info", "database unavailable while settling a run; trying again", { runId: a.runId, inMs: delay });
            await new Promise<void>((resolve) => this.clock.after(delay, resolve, { unref: true }));
          }
        }
      })
      .catch(onError)
      .finally(() => this.release(a));
  }

  private release(a: ActiveRun) {
    if (this.active.get(a.runId) !== a) return;
    this.active.delete(a.runId);
    this.held.delete(a.runId);
    this.settling.delete(a.runId);
    this.lost.delete(a.runId);
    a.worker.load--;
    a.settle();
  }

  // ── Leases and recovery ─────────────────────────────────────────────────────────────────────────

  /**
   * Renews this process's leases, stops runs another process cancelled, takes over unfinished runs
   * whose owner died or whose lease expired (oldest first), then rejects approvals past their
   * deadline. Returns how many runs it took.
   */
  sweep(): Promise<number> {
    if (this.sweeping) return this.sweeping.then(() => 0);
    const run = (async () => {
      const { taken, now } = await this.leases.sweep(
        {
          held: () => this.held,
          active: () => [...this.active.keys()],
          cancelActive: (id, reason) => void this.cancelActive(id, reason),
          enqueue: (row: LeasedRun) => this.enqueue(row),
          closing: () => this.closing || this.draining,
        },
        (row) => log("info", "run recovered", { runId: row.id, status: row.status, from: row.leaseOwner }),
      );
      if (!this.closing) await this.fenceLostRuns();
      if (!this.closing) await this.expireOverdueApprovals(now);
      return taken;
    })();
    this.sweeping = run
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => (this.sweeping = null));
    return run;
  }

  /**
   * Stops executing the runs whose lease another process took (this one did not renew in time: a
   * stalled event loop, a slow database): their events are dropped from now on and the worker thread
   * cancels them, so the new owner alone executes and records them. The lease decides.
   */
  private async fenceLostRuns(): Promise<void> {
    const ids = [...this.active.keys()].filter((id) => !this.settling.has(id) && !this.lost.has(id));
    if (!ids.length) return;
    const mine = await leasesHeldBy(await this.database(), ids, this.owner);
    for (const id of ids) {
      const a = this.active.get(id);
      if (mine.has(id) || !a || this.settling.has(id)) continue;
      this.lost.add(id);
      a.pending.length = 0;
      a.worker.post({ type: "cancel", runId: id, reason: "lease lost" });
      log("error", "run lease lost: stopped here, its new owner continues it", { runId: id });
    }
  }

  /** Rejects the approvals past their node's "give up after" time at `now` (the runs go on, queued here). Returns how many. */
  async expireOverdueApprovals(now: number): Promise<number> {
    return expireOverdueApprovals(this.queueOwner(), await this.database(), now);
  }

  /** Stops the pool; runs in flight stay "running" and are taken over at the next start. */
  async close(): Promise<void> {
    this.closing = true;
    this.stopSweeps?.();
    this.queues.close();
    await this.sweeping?.catch(() => {});
    try {
      await runsRepo.releaseAllLeases(await this.database(), this.owner);
    } catch {
      // The database is gone while closing: the leases expire by themselves and another process takes over.
    }
    await this.pool?.close();
    for (const a of this.active.values()) a.settle();
    this.active.clear();
    this.held.clear();
    this.fresh.clear();
  }
}

const instance = processSlot<RunManager>("runManager");

/** The process-wide run manager (server.ts's bundle and Next's route bundles share it). */
export function getRunManager(): RunManager {
  let m = instance.get();
  if (!m) instance.set((m = new RunManager()));
  return m;
}

/** Stops and forgets the process-wide run manager (shutdown, tests). */
export async function shutdownRunManager(): Promise<void> {
  const m = instance.get();
  instance.set(undefined);
  await m?.close();
}
