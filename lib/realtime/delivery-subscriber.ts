import type { RunEvent } from "../contracts/events";
import type { RunEventsMessage } from "../contracts/protocol";

/** Where delivered messages go: a socket in production, a plain object in tests. */
export interface DeliveryTarget {
  readonly id: string;
  /** Packets waiting in the transport; above `maxQueuedPackets` the target is skipped until it drains. */
  queuedPackets(): number;
}

/** Sends one message to one or more targets (several: the same slice, encoded once). */
export type SendMessage<T extends DeliveryTarget> = (targets: readonly T[], message: RunEventsMessage) => void;

/** One subscriber's position in one run. */
export class Cursor {
  fetching = false;
  /** A batch read from the store, sent at the next tick. */
  fetched: RunEvent[] | null = null;
  /** After a failed or inconsistent store read: no new read before this time. */
  retryAt = 0;
  retryScheduled = false;
  constructor(
    /** Last seq handed to the target. */
    public lastSent: number,
    /** The store may hold events after lastSent that the cache does not (replay, long runs). */
    public needsSource: boolean,
    /** Subscribed to the run itself (otherwise only through a workflow subscription). */
    public explicit: boolean,
  ) {}
}

/** What delivery keeps per target: a cursor per run, its workflow subscriptions, runs to look at next tick. */
export class Subscriber<T extends DeliveryTarget = DeliveryTarget> {
  readonly cursors = new Map<string, Cursor>();
  readonly workflows = new Set<string>();
  /** Runs with something (possibly) to send. */
  readonly dirty = new Set<string>();
  closed = false;

  constructor(readonly target: T) {}

  get id(): string {
    return this.target.id;
  }

  /** Run subscriptions plus workflow subscriptions (what the per-connection limit counts). */
  subscriptionCount(): number {
    let explicit = 0;
    for (const c of this.cursors.values()) if (c.explicit) explicit++;
    return explicit + this.workflows.size;
  }
}
