import type { RateLimitSettings } from "../../contracts/providers-api";
import type { ResilienceClock } from "./clock";

/** Which limit a waiting call waits for. */
export type LimitName = "requests" | "tokens";

/** A call that has to wait: its place, what it waits for, and when it should pass if nothing changes. */
export interface RateLimitWait {
  position: number;
  limit: LimitName;
  etaMs: number;
  /** Resolves when the call may go; rejects with the reason given to `cancel`. */
  done: Promise<void>;
  cancel(reason: Error): void;
}

interface Waiter {
  tokens: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** A token bucket refilled continuously: `perMinute` units per 60 s, holding at most a minute's worth. */
class Bucket {
  level: number;
  private at: number;
  constructor(
    public perMinute: number,
    now: number,
  ) {
    this.level = perMinute;
    this.at = now;
  }
  refill(now: number) {
    this.level = Math.min(this.perMinute, this.level + ((now - this.at) * this.perMinute) / 60_000);
    this.at = now;
  }
  /** Ms until `need` units are there (0: now). */
  msUntil(need: number): number {
    return this.level >= need ? 0 : Math.ceil(((need - this.level) * 60_000) / this.perMinute);
  }
}

/**
 * Requests-per-minute and tokens-per-minute limits of one provider, as token buckets. A call over a
 * limit WAITS in first-in-first-out order (backpressure, no rejection): a new call queues behind earlier
 * ones even when the bucket could serve it, so nobody is overtaken. Token counts are estimates before
 * the call (`take`) and corrected after it (`adjust`), so a bucket may go into debt and later calls
 * wait longer. A limit of 0 is no limit. One timer at a time, for the head of the queue.
 */
export class RateLimiter {
  private requests?: Bucket;
  private tokens?: Bucket;
  private readonly queue: Waiter[] = [];
  private cancelTimer?: () => void;

  constructor(
    limits: RateLimitSettings,
    private readonly clock: ResilienceClock,
  ) {
    this.configure(limits);
  }

  /** New limits; buckets keep their level (capped by the new size). */
  configure(limits: RateLimitSettings): void {
    const now = this.clock.now();
    const apply = (b: Bucket | undefined, perMinute: number) => {
      if (!perMinute) return undefined;
      if (!b) return new Bucket(perMinute, now);
      b.refill(now);
      b.perMinute = perMinute;
      b.level = Math.min(b.level, perMinute);
      return b;
    };
    this.requests = apply(this.requests, limits.requestsPerMinute);
    this.tokens = apply(this.tokens, limits.tokensPerMinute);
    this.pump();
  }

  /** Calls waiting now. */
  get waiting(): number {
    return this.queue.length;
  }

  /** One call with about `tokens` tokens: null when it may go now, else how it waits. */
  take(tokens: number): RateLimitWait | null {
    const need = Math.max(0, Math.round(tokens));
    if (!this.queue.length && this.fits(need)) {
      this.consume(need);
      return null;
    }
    let waiter!: Waiter;
    const done = new Promise<void>((resolve, reject) => (waiter = { tokens: need, resolve, reject }));
    done.catch(() => {});
    this.queue.push(waiter);
    const position = this.queue.length;
    const { limit, ms } = this.blocker(need);
    // Everyone ahead has to pass first: a rough estimate, enough for "waiting about N s".
    const etaMs = ms + this.queue.slice(0, -1).reduce((sum, w) => sum + this.blocker(w.tokens).ms, 0);
    this.pump();
    return {
      position,
      limit,
      etaMs,
      done,
      cancel: (reason) => {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        waiter.reject(reason);
        if (i === 0) this.pump();
      },
    };
  }

  /** Corrects the token bucket after a call: `delta` = actual − estimated tokens. */
  adjust(delta: number): void {
    if (!this.tokens || !delta) return;
    this.tokens.refill(this.clock.now());
    this.tokens.level -= delta;
    this.pump();
  }

  private need(b: Bucket | undefined, units: number) {
    return b ? Math.min(units, b.perMinute) : 0; // a call bigger than a whole minute still passes once the bucket is full
  }

  private fits(tokens: number): boolean {
    const now = this.clock.now();
    this.requests?.refill(now);
    this.tokens?.refill(now);
    return (!this.requests || this.requests.level >= 1) && (!this.tokens || this.tokens.level >= this.need(this.tokens, tokens));
  }

  private consume(tokens: number) {
    if (this.requests) this.requests.level -= 1;
    if (this.tokens) this.tokens.level -= tokens; // the full estimate (may go below 0 for a huge call)
  }

  private blocker(tokens: number): { limit: LimitName; ms: number } {
    const now = this.clock.now();
    this.requests?.refill(now);
    this.tokens?.refill(now);
    const r = this.requests ? this.requests.msUntil(1) : 0;
    const t = this.tokens ? this.tokens.msUntil(this.need(this.tokens, tokens)) : 0;
    return t > r ? { limit: "tokens", ms: t } : { limit: "requests", ms: r };
  }

  private pump() {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    while (this.queue.length && this.fits(this.queue[0].tokens)) {
      const w = this.queue.shift()!;
      this.consume(w.tokens);
      w.resolve();
    }
    if (this.queue.length) this.cancelTimer = this.clock.after(Math.max(1, this.blocker(this.queue[0].tokens).ms), () => this.pump());
  }
}
