import "server-only";
import { DelayedError, Worker, type Job } from "bullmq";
import { blockingRedisOptions, RUN_QUEUE_NAME, type RunQueue, type RunToken } from "./run-queue";

/** What the consumer asks of the process that executes runs (the run manager). */
export interface QueueExecutor {
  /** Claims the oldest waiting run of a workflow and executes it to its next stop: "ran", "full" or "none". */
  runNextQueued(workflowId: string): Promise<"ran" | "full" | "none">;
}

/** Most runs of one workflow a job executes back to back before it lets other workflows' jobs go first. */
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
  log?: (level: "info" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

/**
 * The worker side of the run queue. A job says "a run of workflow W waits"; the processor claims the
 * oldest waiting run of W in the database and executes it (see lib/server/queue/README.md):
 * - FIFO per workflow: the database picks the run (oldest first), whatever job arrives first.
 * - maxConcurrentRuns across all workers: the claim counts running runs under a per-workflow lock;
 *   "full" puts the job back as delayed (growing back-off), so it holds no worker slot meanwhile.
 * - Fair share: after a run settles, the same job takes the next run of W at once (no idle slot),
 *   but at most HANDOFF_LIMIT times; then other workflows' jobs, waiting in arrival order, go first.
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
        await job.moveToDelayed(Date.now() + fullBackoffMs(times), token);
        throw new DelayedError();
      }
      // A run of the workflow settled here: a slot is free, ask the database first next time.
      this.fullUntil.delete(workflowId);
      ran++;
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
