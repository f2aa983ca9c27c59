import { CircuitState, type IBreaker } from "cockatiel";

/**
 * A cockatiel breaker that opens after `threshold` failures within the last `windowMs` (a sliding
 * window of failure times). Successes do not wipe the count while closed: a provider that fails every
 * other call still trips it. A failed probe (half-open) re-opens at once; a successful one forgets
 * the failures. `state` (the failure times) is what cockatiel serialises in `toJSON`, so a breaker
 * rebuilt with new thresholds keeps its recent failures.
 */
export class WindowBreaker implements IBreaker {
  state: number[] = [];

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Failures inside the window now. */
  get recentFailures(): number {
    this.prune();
    return this.state.length;
  }

  success(state: CircuitState): void {
    if (state === CircuitState.HalfOpen) this.state = [];
  }

  failure(state: CircuitState): boolean {
    this.state.push(this.now());
    this.prune();
    return state === CircuitState.HalfOpen || this.state.length >= this.threshold;
  }

  private prune() {
    const from = this.now() - this.windowMs;
    if (this.state.length && this.state[0] <= from) this.state = this.state.filter((t) => t > from);
  }
}
