/**
 * Group commit for checkpoint writes: the writes of every run a thread executes that arrive in one
 * turn of the event loop are committed together, and each caller's promise settles only once ITS
 * write is committed (durability as before: LangGraph's "sync" mode still waits for it). With ten
 * runs on a worker that is one commit per turn instead of ~25 per run (a checkpoint and a task write
 * per step), which on PostgreSQL also means one round trip instead of four or more per write.
 *
 * When a combined commit fails (one bad write), each write of the batch is committed on its own, so
 * only the failing caller sees the error.
 */
/** How long a commit keeps trying while the database is out of reach. */
export const RETRY_FOR_MS = 60_000;

const CONNECTION_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|08...|57P0[123]|53300)$/;
const CONNECTION_MESSAGES = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed)/;

/** True for node-postgres errors that mean the server is out of reach (not that the statement was wrong). */
export function isPostgresConnectionLoss(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === "string" && CONNECTION_CODES.test(e.code)) return true;
  if (typeof e.message === "string" && CONNECTION_MESSAGES.test(e.message)) return true;
  return Array.isArray(e.errors) && e.errors.some(isPostgresConnectionLoss);
}

export interface PendingWrite<T> {
  /** Which LangGraph thread it belongs to (reads of that thread wait for it). */
  threadId: string;
  op: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T> {
  private queue: PendingWrite<T>[] = [];
  private scheduled = false;
  private inFlight = 0;
  /** Writes queued or being committed, per thread: reads wait for them. */
  private readonly pendingByThread = new Map<string, Promise<void>>();
  private idle: Promise<void> = Promise.resolve();
  private markIdle: (() => void) | null = null;

  /**
   * @param commit writes a batch in one transaction (all or nothing); may be sync (SQLite) or async.
   * @param maxInFlight commits running at once (SQLite: 1, it is synchronous; PostgreSQL: a few, so a
   *   slow commit does not hold every run up while the next batch fills).
   */
  constructor(
    private readonly commit: (ops: T[]) => void | Promise<void>,
    private readonly maxInFlight = 1,
    /** Failures that mean "the database is out of reach": the batch is tried again (see RETRY_FOR_MS) instead of failing its runs. */
    private readonly retryable: (err: unknown) => boolean = () => false,
  ) {}

  /** Queues a write; resolves once it is committed. */
  write(threadId: string, op: T): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.queue.push({ threadId, op, resolve, reject }));
    const settled = done.then(
      () => {},
      () => {},
    );
    const before = this.pendingByThread.get(threadId);
    const all = before ? Promise.all([before, settled]).then(() => {}) : settled;
    this.pendingByThread.set(threadId, all);
    void all.then(() => this.pendingByThread.get(threadId) === all && this.pendingByThread.delete(threadId));
    if (!this.markIdle) this.idle = new Promise((r) => (this.markIdle = r));
    this.schedule();
    return done;
  }

  /** Resolves when every write of the thread queued so far has settled (committed or failed). */
  settledFor(threadId: string): Promise<void> {
    return this.pendingByThread.get(threadId) ?? Promise.resolve();
  }

  /** Resolves when nothing is queued or being committed. */
  drained(): Promise<void> {
    return this.queue.length || this.inFlight ? this.idle : Promise.resolve();
  }

  /** What a read of `threadId` (or, without one, of anything) waits for: its queued writes, committed now rather than next turn. */
  async beforeRead(threadId: string | undefined): Promise<void> {
    this.flushNow();
    await (threadId ? this.settledFor(threadId) : this.drained());
  }

  /** Commits what is queued now and resolves when nothing is left (closing the checkpointer). */
  flushAndDrain(): Promise<void> {
    this.flushNow();
    return this.drained();
  }

  /** Commits what is queued now, synchronously when the commit is (SQLite reads call this first). */
  flushNow(): void {
    if (this.queue.length && this.inFlight < this.maxInFlight) void this.run(this.queue.splice(0));
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushNow();
    });
  }

  /**
   * Commits, and while the database is out of reach (a restart, a failover) tries again with a growing
   * pause for up to RETRY_FOR_MS: the writes are in memory and their runs wait for them, so a short
   * outage costs time, not runs.
   */
  private async commitRetrying(ops: T[]): Promise<void> {
    const deadline = Date.now() + RETRY_FOR_MS;
    for (let pause = 250; ; pause = Math.min(pause * 2, 2000)) {
      try {
        return await this.commit(ops);
      } catch (err) {
        if (!this.retryable(err) || Date.now() + pause > deadline) throw err;
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  private async run(batch: PendingWrite<T>[]) {
    this.inFlight++;
    try {
      try {
        await this.commitRetrying(batch.map((w) => w.op));
        for (const w of batch) w.resolve();
      } catch (err) {
        if (batch.length === 1) batch[0].reject(err);
        else
          for (const w of batch) {
            try {
              await this.commit([w.op]);
              w.resolve();
            } catch (e) {
              w.reject(e);
            }
          }
      }
    } finally {
      this.inFlight--;
      if (this.queue.length) this.schedule();
      else if (!this.inFlight && this.markIdle) {
        this.markIdle();
        this.markIdle = null;
      }
    }
  }
}
