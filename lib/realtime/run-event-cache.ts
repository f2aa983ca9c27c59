import type { RunEvent } from "../contracts/events";

/**
 * The most recent published events of one run, as ONE contiguous seq range shared by all subscribers
 * (per-client state is only a cursor, so memory does not grow with slow clients). Subscribers whose
 * cursor falls before the range read from the event store instead.
 */
export class RunEventCache {
  private events: RunEvent[] = [];
  /** Last time an event was appended (ms), for idle eviction. */
  touchedAt = Date.now();
  /** The run's workflow, once known. */
  workflowId: string | undefined;

  constructor(private readonly capacity: number) {}

  get firstSeq(): number {
    return this.events.length ? this.events[0].seq : Number.NaN;
  }

  get lastSeq(): number {
    return this.events.length ? this.events[this.events.length - 1].seq : Number.NaN;
  }

  get size(): number {
    return this.events.length;
  }

  /**
   * Appends a published event. Duplicates (seq ≤ last) are ignored; a jump in seq restarts the range
   * at this event (readers before it go to the store, where every persisted event is).
   * Returns whether the event was new.
   */
  append(e: RunEvent): boolean {
    this.touchedAt = Date.now();
    const last = this.lastSeq;
    if (this.events.length && e.seq <= last) return false;
    if (this.events.length && e.seq !== last + 1) this.events = [];
    this.events.push(e);
    // Trim in chunks so trimming stays amortised O(1).
    if (this.events.length > this.capacity * 1.5) this.events = this.events.slice(this.events.length - this.capacity);
    return true;
  }

  /** Whether the event with seq `after + 1` is here. */
  covers(after: number): boolean {
    return this.events.length > 0 && this.firstSeq <= after + 1 && this.lastSeq > after;
  }

  /** Events with seq > after, at most `limit`; only valid when `covers(after)`. */
  sliceAfter(after: number, limit: number): RunEvent[] {
    const start = after + 1 - this.firstSeq;
    return this.events.slice(start, start + limit);
  }
}
