import { circuitBreaker, CircuitBreakerPolicy, CircuitState, handleWhen } from "cockatiel";
import type { BreakerSettings, BreakerStatus, BreakerTransition } from "../../contracts/providers-api";
import type { ResilienceClock } from "./clock";
import { WindowBreaker } from "./window-breaker";

/** How a guarded call ended, as far as the provider's health goes. */
export type CallOutcome = "success" | "failure" | "neutral" | "cancelled";

/** A provider-side failure (5xx, unreachable, timeout, 429): the only error the breaker counts. */
class ProviderFailure extends Error {
  readonly name = "ProviderFailure";
}

/** A call the breaker admitted; `settle` reports how it ended (once; later calls are ignored). */
export interface BreakerPass {
  /** True when this call is the half-open probe. */
  probe: boolean;
  settle(outcome: CallOutcome, reason?: string): void;
}

export type BreakerEntry = { ok: true; pass: BreakerPass } | { ok: false; message: string };

const HISTORY = 20;
/** cockatiel's breaker snapshot (CircuitBreakerPolicy.toJSON, typed unknown there). */
type Snapshot = { ownState: { value: CircuitState; openedAt?: number; attemptNo?: number }; breakerState: unknown };
const STATE_NAMES: Record<CircuitState, BreakerTransition["state"]> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "open",
};

/**
 * The circuit breaker of one provider or host: a cockatiel CircuitBreakerPolicy with a WindowBreaker,
 * driven in two steps because the call itself may run on another thread: `enter()` decides at once
 * (the call goes ahead, or CIRCUIT_OPEN with a message that says since when and when it probes) and the
 * caller reports the outcome later with `pass.settle`. Cockatiel keeps the state machine (closed →
 * open → half-open with one probe → closed / open again); this class adds "one probe only" (calls
 * during a probe fail fast instead of queueing behind it), the history and the status for the UI.
 */
export class ProviderBreaker {
  private policy!: CircuitBreakerPolicy;
  private breaker!: WindowBreaker;
  private settings!: BreakerSettings;
  private since: number;
  private openedAt = 0;
  private lastReason: string | undefined;
  readonly history: BreakerTransition[] = [];
  /** Told of every transition this process made (not of forced ones): the registry shares them (Redis). */
  onTransition?: (t: BreakerTransition & { probeAt?: number }) => void;

  constructor(
    readonly key: string,
    settings: BreakerSettings,
    private readonly clock: ResilienceClock,
  ) {
    this.since = clock.now();
    this.configure(settings);
  }

  /** Applies new thresholds, keeping the state and the recent failures. */
  configure(settings: BreakerSettings): void {
    if (
      this.settings &&
      this.settings.failureThreshold === settings.failureThreshold &&
      this.settings.windowMs === settings.windowMs &&
      this.settings.cooldownMs === settings.cooldownMs
    )
      return;
    this.settings = settings;
    // cockatiel types its snapshot as unknown; this is its shape (CircuitBreakerPolicy.toJSON).
    this.rebuild(this.policy?.toJSON() as Snapshot | undefined);
  }

  /**
   * Takes the state another process reported (through Redis): open since `at` (the probe comes after
   * the cool-down from then), or closed. Recorded in the history, not reported back.
   */
  force(state: "open" | "closed", at: number, reason?: string): void {
    if (state === this.state && (state === "closed" || at === this.openedAt)) return;
    if (state === "open") {
      this.openedAt = at;
      this.rebuild({ ownState: { value: CircuitState.Open, openedAt: at, attemptNo: 1 }, breakerState: this.breaker.state });
    } else this.rebuild({ ownState: { value: CircuitState.Closed }, breakerState: [] });
    this.since = at;
    this.lastReason = reason;
    this.push({ state, at, reason: `${reason ?? state} (another server)` });
  }

  private rebuild(previous: Snapshot | undefined) {
    const settings = this.settings;
    this.breaker = new WindowBreaker(settings.failureThreshold, settings.windowMs, () => this.clock.now());
    if (previous) this.breaker.state = previous.breakerState as number[];
    // A half-open policy serialises as open (cockatiel): a rebuilt one probes again after the cool-down.
    const policy = circuitBreaker(
      handleWhen((e) => e instanceof ProviderFailure),
      {
        halfOpenAfter: settings.cooldownMs,
        breaker: this.breaker,
        ...(previous && previous.ownState.value !== CircuitState.Closed ? { initialState: previous } : {}),
      },
    );
    // A call admitted by a replaced policy still settles on it: only the current policy's changes count.
    policy.onStateChange((s) => this.policy === policy && this.record(STATE_NAMES[s]));
    this.policy = policy;
  }

  get state(): BreakerTransition["state"] {
    return STATE_NAMES[this.policy.state];
  }

  /** When an open breaker lets the next call through as a probe. */
  get probeAt(): number | undefined {
    return this.policy.state === CircuitState.Open ? this.openedAt + this.settings.cooldownMs : undefined;
  }

  /** Why a call would be refused now (open and cooling down, or a probe in flight), else null. */
  refusal(): string | null {
    const state = this.policy.state;
    if (state === CircuitState.Open && this.clock.now() < this.probeAt!) return this.openMessage();
    if (state === CircuitState.HalfOpen) return `${this.describe()} is half-open: one probe call is in flight; other calls fail fast until it answers.`;
    return null;
  }

  /** The open message regardless of the cool-down (another process holds the probe). */
  refusalAfterCooldown(): string {
    return this.openMessage();
  }

  /** Lets a call through, or says why not (open, or a probe already in flight). */
  enter(): BreakerEntry {
    const refused = this.refusal();
    if (refused) return { ok: false, message: refused };
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const outcome = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    let started = false;
    // cockatiel calls fn synchronously when it admits the call, and rejects with BrokenCircuitError otherwise.
    const run = this.policy.execute(() => {
      started = true;
      return outcome;
    });
    run.catch(() => {});
    if (!started) return { ok: false, message: this.openMessage() };
    const probe = this.policy.state === CircuitState.HalfOpen;
    let settled = false;
    return {
      ok: true,
      pass: {
        probe,
        settle: (o, reason) => {
          if (settled) return;
          settled = true;
          // A cancelled probe proves nothing: count it as failed so the breaker waits another cool-down.
          const effective = o === "cancelled" ? (probe ? "failure" : "neutral") : o;
          if (effective === "success") resolve();
          else if (effective === "failure") {
            this.lastReason = reason;
            reject(new ProviderFailure(reason ?? "provider failure"));
          } else reject(new Error("not the provider's fault"));
        },
      },
    };
  }

  /** The breaker's state for the dashboard and the canvas. */
  status(waiting: number): BreakerStatus {
    return {
      key: this.key,
      state: this.state,
      since: this.since,
      ...(this.probeAt !== undefined ? { probeAt: this.probeAt } : {}),
      recentFailures: this.breaker.recentFailures,
      waiting,
      history: [...this.history],
    };
  }

  private record(state: BreakerTransition["state"]) {
    const now = this.clock.now();
    if (state === "open") this.openedAt = now;
    this.since = now;
    const reason =
      state === "open"
        ? this.lastReason
          ? `opened: ${this.lastReason.slice(0, 200)}`
          : "opened"
        : state === "half-open"
          ? "cool-down over: probing"
          : "probe succeeded";
    this.push({ state, at: now, reason });
    this.onTransition?.({ state, at: now, reason, ...(state === "open" ? { probeAt: now + this.settings.cooldownMs } : {}) });
  }

  private push(t: BreakerTransition) {
    this.history.push(t);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
  }

  private describe(): string {
    const [kind, ...rest] = this.key.split(":");
    return kind === "http" ? `The circuit breaker of host "${rest.join(":")}"` : `The circuit breaker of model provider "${rest.join(":")}"`;
  }

  private openMessage(): string {
    const s = this.settings;
    const probe = this.probeAt;
    return (
      `${this.describe()} is open since ${new Date(this.openedAt).toISOString()} after ${s.failureThreshold} failure${s.failureThreshold === 1 ? "" : "s"} ` +
      `within ${Math.round(s.windowMs / 1000)} s${this.lastReason ? ` (last: ${this.lastReason.slice(0, 200)})` : ""}; ` +
      `it lets one probe call through at ${probe ? new Date(probe).toISOString() : "the next call"}. ` +
      `Wait, add a fallback model (Model router) or change the thresholds under Settings → Providers.`
    );
  }
}
