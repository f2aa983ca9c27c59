import "server-only";
import { DelayedError, Worker, type Job } from "bullmq";
import { blockingRedisOptions, RUN_QUEUE_NAME, type RunQueue, type RunToken } from "./run-queue";

/** What the consumer asks of the process that executes runs (the run manager). */
export interface QueueExecutor {
  /**
   * Claims the oldest waiting run of a workflow and executes it to its next stop: "ran",
   * "ran-backlog" (more runs of the workflow waited than slots were free), "full" or "none".
   */
  runNextQueued(workflowId: string): Promise<"ran" | "ran-backlog" | "full" | "none">;
}

/**
 * Most runs a job executes back to back when its workflow has a backlog (more waiting runs than free
 * slots), before it lets other workflows' jobs go first.
 */
export const HANDOFF_LIMIT = 4;

/** How long a "full" answer is trusted here before the database is asked again. */
export const FULL_MEMO_MS = 200;

/** Back-off of a job whose workflow is full, by how often it was: 50 ms doubling to 5 s, with jitter. */
export function fullBackoffMs(times: number, random = Math.random): number {
  return Math.min(5000, 50 * 2 ** Math.min(times, 10)) + Math.floor(random() * 50);
}

export interface RunConsumerOptions {
  /** Jobs (runs) this process works on at once. */
  concurrency: number;
  /** Back-off of a job whose workflow is full, by how often it was (default fullBackoffMs). */
  fullBackoff?: (times: number) => number;
  log?: (level: "info" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

/**
 * The worker side of the run queue. A job says "a run of workflow W waits"; the processor claims the
 * oldest waiting run of W in the database and executes it (see lib/server/queue/README.md):
 * - FIFO per workflow: the database picks the run (oldest first), whatever job arrives first.
 * - maxConcurrentRuns across all workers: the claim counts running runs under a per-workflow lock;
 *   "full" puts the job back as delayed (growing back-off), so it holds no worker slot meanwhile.
 * - Fair share: one job, one run. Jobs wait in arrival order, so a workflow with a thousand waiting
 *   runs takes its turns with the others; when a job ends, BullMQ hands this worker the next job in
 *   the same round trip. Only a workflow with a backlog (more waiting runs than free slots, so its
 *   other jobs wait delayed) has its slot handed on at once, at most HANDOFF_LIMIT runs per job.
 * - Exactly once: the claim (a conditional UPDATE with the lease) decides; a job that finds nothing
 *   ("none": another job or the lease sweep took the run) simply completes.
 */
export class RunConsumer {
  readonly worker: Worker<RunToken>;
  /** Workflows the database reported full here, until when (saves a claim per job of a busy workflow). */
  private readonly fullUntil = new Map<string, number>();
  private closing = false;

  constructor(
    private readonly queue: RunQueue,
    private readonly executor: QueueExecutor,
    private readonly options: RunConsumerOptions,
  ) {
    this.worker = new Worker<RunToken>(RUN_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: { url: queue.url, ...blockingRedisOptions },
      prefix: queue.prefix,
      concurrency: options.concurrency,
      // A job whose worker died goes back to waiting after the lock lapses; it is only a wake-up, so
      // it may stall any number of times (the run itself is recovered by its lease).
      maxStalledCount: 1000,
    });
    this.worker.on("error", (err) => options.log?.("error", "run queue worker error", { err: err.message }));
  }

  /** Resolves to the runs it executed; a "full" workflow or a closing worker puts the job back as delayed. */
  private async process(job: Job<RunToken>, token?: string): Promise<number> {
    const { workflowId } = job.data;
    let ran = 0;
    while (ran < HANDOFF_LIMIT) {
      if (this.closing) {
        if (ran) return ran;
        // Taken just before the drain began: back to the queue for another worker, untouched.
        await job.moveToDelayed(Date.now() + 10, token);
        throw new DelayedError();
      }
      const memo = this.fullUntil.get(workflowId);
      const result = memo && memo > Date.now() ? "full" : await this.executor.runNextQueued(workflowId);
      if (result === "none") return ran;
      if (result === "full") {
        if (!memo || memo <= Date.now()) this.fullUntil.set(workflowId, Date.now() + FULL_MEMO_MS);
        // It ran something: its announcement is used up (the waiting run has one of its own).
        if (ran) return ran;
        const times = (job.data.full ?? 0) + 1;
        await job.updateData({ ...job.data, full: times });
        await job.moveToDelayed(Date.now() + (this.options.fullBackoff ?? fullBackoffMs)(times), token);
        throw new DelayedError();
      }
      // A run of the workflow settled here: a slot is free, ask the database first next time.
      this.fullUntil.delete(workflowId);
      ran++;
      // A workflow with free slots for all its waiting runs: each has a job that will take a slot, so
      // this job is done. One with a backlog: the jobs that found it full sleep on a back-off of up to
      // 5 s, so this job takes the next run at once rather than leave the slot empty meanwhile.
      // (Handing on when there is no backlog costs a claim per run: the next run's own job finds nothing.)
      if (result === "ran") return ran;
    }
    return ran;
  }

  /**
   * Stops taking jobs and waits up to `timeoutMs` for the runs in flight to settle; after that the
   * worker's jobs are abandoned (they stall and come back) and the caller releases the leases.
   */
  async close(timeoutMs: number): Promise<boolean> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      this.worker.close().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!drained) await this.worker.close(true).catch(() => {});
    return drained;
  }
}
