import type { RunEvent } from "./events";

/** Where a run lives: checked on every subscription. */
export interface RunInfo {
  workspaceId: string;
  workflowId: string;
}

/**
 * What the realtime server needs from the event store (lib/db implements it over Prisma; tests and
 * benches use {@link InMemoryRunEventSource}). Events are persisted here BEFORE they are published,
 * so whatever `publish` delivered is always also readable through `listAfter`.
 */
export interface RunEventSource {
  /** Events of the run with seq > afterSeq, ascending by seq, at most `limit`. */
  listAfter(runId: string, afterSeq: number, limit: number): Promise<RunEvent[]>;
  /** The run's workspace and workflow, or null when there is no such run. */
  runInfo(runId: string): Promise<RunInfo | null>;
  /** The workflow's workspace, or null when there is no such workflow. */
  workspaceOfWorkflow(workflowId: string): Promise<string | null>;
}

/**
 * An in-memory event store for tests and benches: `append` is "persist", and returns the events so
 * the caller can then `publish` them. Optional `delayMs` makes queries slow, to exercise races.
 */
export class InMemoryRunEventSource implements RunEventSource {
  private readonly runs = new Map<string, { info: RunInfo; events: RunEvent[] }>();
  private readonly workflows = new Map<string, string>();
  /** Artificial latency of every query, in ms. */
  delayMs = 0;
  /** Number of listAfter calls (tests check re-syncs). */
  listCalls = 0;

  /** Registers a run (and its workflow). */
  addRun(runId: string, info: RunInfo): void {
    if (!this.runs.has(runId)) this.runs.set(runId, { info, events: [] });
    this.workflows.set(info.workflowId, info.workspaceId);
  }

  /** Registers a workflow without runs. */
  addWorkflow(workflowId: string, workspaceId: string): void {
    this.workflows.set(workflowId, workspaceId);
  }

  /** Persists events (each must carry the next seq of its run). */
  append(events: RunEvent[]): RunEvent[] {
    for (const e of events) {
      const run = this.runs.get(e.runId);
      if (!run) throw new Error(`InMemoryRunEventSource: unknown run ${e.runId}; call addRun first`);
      const last = run.events.at(-1);
      if (last && e.seq <= last.seq) throw new Error(`InMemoryRunEventSource: seq ${e.seq} after ${last.seq} in run ${e.runId}`);
      run.events.push(e);
    }
    return events;
  }

  async listAfter(runId: string, afterSeq: number, limit: number): Promise<RunEvent[]> {
    this.listCalls++;
    await this.pause();
    const events = this.runs.get(runId)?.events ?? [];
    // Binary search for the first seq > afterSeq.
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (events[mid].seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return events.slice(lo, lo + limit);
  }

  async runInfo(runId: string): Promise<RunInfo | null> {
    await this.pause();
    return this.runs.get(runId)?.info ?? null;
  }

  async workspaceOfWorkflow(workflowId: string): Promise<string | null> {
    await this.pause();
    return this.workflows.get(workflowId) ?? null;
  }

  private pause(): Promise<void> {
    return this.delayMs > 0 ? new Promise((r) => setTimeout(r, this.delayMs)) : Promise.resolve();
  }
}
