import type { Clock } from "./clock";

/** What starting a run came to: it ran to its next stop ("claimed"), every slot was taken ("full"), or it is no longer ours to run ("gone"). */
export type LaunchResult = "claimed" | "full" | "gone";

/** How soon a queue whose workflow was full tries again (slots freed by another server are not announced). */
export const FULL_RETRY_MS = 250;

interface WorkflowQueue {
  limit: number;
  running: number;
  items: string[];
  /** Cancels the retry that is set while the workflow's limit is reached in the database (runs of other servers count). */
  full: (() => void) | null;
}

export interface WorkflowQueuesOptions {
  /** Executes one run to its next stop; resolves when it is settled. */
  launch: (runId: string, limit: number) => Promise<LaunchResult>;
  clock: Clock;
  onLaunchError: (runId: string, err: unknown) => void;
}

/**
 * Per-workflow FIFO queues capped by the workflow's maxConcurrentRuns: backpressure, not rejection.
 * A run leaves its queue when a slot is free here; `launch` then claims it in the database, which
 * may answer "full" (the workflow's runs on other servers hold the slots): the run keeps its place
 * at the head and the queue tries again after FULL_RETRY_MS, or at once when a run here settles.
 */
export class WorkflowQueues {
  private readonly queues = new Map<string, WorkflowQueue>();
  private closed = false;

  constructor(private readonly options: WorkflowQueuesOptions) {}

  /** Appends a run (once) to its workflow's queue with the workflow's current limit, and starts what fits. */
  enqueue(workflowId: string, runId: string, limit: number): void {
    if (this.closed) return;
    let q = this.queues.get(workflowId);
    if (!q) this.queues.set(workflowId, (q = { limit, running: 0, items: [], full: null }));
    q.limit = limit;
    if (!q.items.includes(runId)) q.items.push(runId);
    this.pump(workflowId);
  }

  /** Removes a run that has not started yet. True if it was queued. */
  dequeue(workflowId: string, runId: string): boolean {
    const q = this.queues.get(workflowId);
    const i = q?.items.indexOf(runId) ?? -1;
    if (i < 0) return false;
    q!.items.splice(i, 1);
    return true;
  }

  /** How many runs of a workflow would wait before a new one starts. */
  queuedAhead(workflowId: string, limit: number): number {
    const q = this.queues.get(workflowId);
    if (!q) return 0;
    return Math.max(0, q.running + q.items.length - limit + 1);
  }

  /** Runs waiting for a slot, over all workflows. */
  waiting(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.items.length;
    return n;
  }

  /** Stops starting runs and cancels pending retries. */
  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) q.full?.();
  }

  private pump(workflowId: string): void {
    const q = this.queues.get(workflowId);
    if (!q || this.closed) return;
    while (q.running < q.limit && q.items.length && !q.full) {
      const id = q.items.shift()!;
      q.running++;
      let result: LaunchResult = "gone";
      this.options
        .launch(id, q.limit)
        .then((r) => {
          result = r;
          if (result !== "full") return;
          // Every slot is taken, by runs of other servers too: this run keeps its place and the queue
          // waits a moment (a run settling here frees a slot at once, see finally).
          q.items.unshift(id);
          q.full ??= this.options.clock.after(FULL_RETRY_MS, () => {
            q.full = null;
            this.pump(workflowId);
          });
        })
        .catch((err) => this.options.onLaunchError(id, err))
        .finally(() => {
          q.running--;
          if (result !== "full" && q.full) {
            q.full();
            q.full = null;
          }
          if (!q.running && !q.items.length) this.queues.delete(workflowId);
          this.pump(workflowId);
        });
    }
  }
}
