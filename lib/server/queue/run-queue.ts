import "server-only";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { customAlphabet } from "nanoid";
import { AppError, ErrorCode } from "../errors";

/** The BullMQ queue every run goes through in queue mode. */
export const RUN_QUEUE_NAME = "runs";

const jobNonce = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 10);

/**
 * A job on the run queue: "a run of this workflow waits". It is a wake-up, not the run itself: the
 * worker that takes it claims the OLDEST waiting run of the workflow in the database (FIFO per
 * workflow whatever order jobs are taken in). `runId` is the run that announced it (logs, tests);
 * `full` counts how often it found every slot of the workflow taken (its back-off).
 */
export interface RunToken {
  workflowId: string;
  runId: string;
  full?: number;
}

/** Job counts of the run queue, by state. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
}

/** Redis options for a connection BullMQ blocks on (workers): BullMQ requires maxRetriesPerRequest null there. */
export const blockingRedisOptions = { maxRetriesPerRequest: null } as const;

/**
 * The producer side of the run queue (every process in queue mode): announces waiting runs and reads
 * the counts. Its connection fails a command after a few retries (instead of queueing it forever) so
 * an API call meets a clear QUEUE_UNAVAILABLE (503) while Redis is down, not a hang.
 */
export class RunQueue {
  readonly queue: Queue<RunToken>;
  private readonly connection: Redis;

  constructor(
    readonly url: string,
    readonly prefix: string,
  ) {
    this.connection = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5000, lazyConnect: false });
    // ioredis reports connection trouble as events; without a listener Node would print each one.
    this.connection.on("error", () => {});
    this.queue = new Queue<RunToken>(RUN_QUEUE_NAME, {
      connection: this.connection,
      prefix,
      // Jobs are wake-ups: nothing to keep once taken (the database keeps the run's story).
      // A job that fails (the database did not answer) is tried again: a lost wake-up would leave a run waiting.
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000, attempts: 100, backoff: { type: "exponential", delay: 500 } },
    });
    this.queue.on("error", () => {});
  }

  /** Announces a waiting run; QUEUE_UNAVAILABLE when Redis does not take it. */
  async announce(token: RunToken, delayMs = 0): Promise<void> {
    try {
      await this.queue.add("run", token, { jobId: `${token.runId}.${jobNonce()}`, ...(delayMs ? { delay: delayMs } : {}) });
    } catch (err) {
      throw new AppError(
        ErrorCode.QUEUE_UNAVAILABLE,
        `The run queue (Redis at REDIS_URL) did not take run "${token.runId}": ${err instanceof Error ? err.message : String(err)}. The run stays queued and starts when the queue is back; check Redis.`,
      );
    }
  }

  /** Announces many waiting runs at once (the reconciler). */
  async announceMany(tokens: RunToken[]): Promise<void> {
    if (tokens.length) await this.queue.addBulk(tokens.map((t) => ({ name: "run", data: t, opts: { jobId: `${t.runId}.${jobNonce()}` } })));
  }

  /** Waiting, active and delayed jobs. */
  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts("waiting", "prioritized", "active", "delayed");
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0 };
  }

  /** The queue's Redis connection (heartbeats and the cancel channel's publisher share it). */
  redis(): Redis {
    return this.connection;
  }

  async close(): Promise<void> {
    await this.queue.close().catch(() => {});
    this.connection.disconnect();
  }
}
