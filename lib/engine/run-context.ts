import type { EngineEvent } from "../contracts/events";
import type { SecretSet } from "./redact";

/**
 * Per-run context that nodes reach through `configurable.aura_run_id`: the event sink and per-map
 * concurrency limits. A side channel instead of LangGraph's custom stream so that events from map
 * bodies and sub-workflows (nested graphs) reach the run's event stream too.
 */
export interface RunContext {
  emit(event: EngineEvent): void;
  /** Emits `events` once the writes of LangGraph task `taskId` are saved (saved-writes.ts), at the latest when the run ends. */
  emitWhenSaved(taskId: string, events: EngineEvent[]): void;
  semaphores: Map<string, Semaphore>;
  /** Secret values of the credentials this run used: masked in every event and in the outcome. */
  secrets: SecretSet;
}

const contexts = new Map<string, RunContext>();

export function registerRun(runId: string, ctx: RunContext): () => void {
  contexts.set(runId, ctx);
  return () => {
    if (contexts.get(runId) === ctx) contexts.delete(runId);
  };
}

/** Where a task's events go: a fused chain's collector when the task is one (`configurable.aura_sink`), else the run. */
export function taskRunContext(configurable: Record<string, unknown>, runId: string): RunContext | undefined {
  return (configurable.aura_sink as RunContext | undefined) ?? runContext(runId);
}

export function runContext(runId: string | undefined): RunContext | undefined {
  return runId === undefined ? undefined : contexts.get(runId);
}

/** A counting semaphore (FIFO). */
export class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private available: number) {}
  async acquire(): Promise<() => void> {
    if (this.available > 0) this.available--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.available++;
    };
  }
}

/** An unbounded async queue: push from anywhere, iterate once. */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.wake?.();
  }
  close(): void {
    this.closed = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.head < this.items.length) {
        const item = this.items[this.head];
        this.items[this.head++] = undefined as T;
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        yield item;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/** Sleeps `ms`, rejecting at once with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason, as every executor throws it
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason, as every executor throws it
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
