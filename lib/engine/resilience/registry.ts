import { DEFAULT_PROVIDER_SETTINGS, type BreakerStatus, type BreakerTransition, type ProviderSettings } from "../../contracts/providers-api";
import { realClock, type ResilienceClock } from "./clock";
import { ProviderBreaker, type BreakerPass, type CallOutcome } from "./provider-breaker";
import { RateLimiter, type RateLimitWait } from "./rate-limiter";
import type { AdmitAnswer, AdmitRequest, ResilienceService, WaitAnswer } from "./service";

/** The settings of `key` in `scope` (a workspace); may be cached by the host. */
export type SettingsLookup = (scope: string, key: string) => ProviderSettings | Promise<ProviderSettings>;

interface Entry {
  breaker: ProviderBreaker;
  limiter: RateLimiter;
}

interface Ticket {
  entry: Entry;
  tokens: number;
  queuedAt: number;
  wait?: RateLimitWait;
  pass?: BreakerPass;
  cancelExpiry: () => void;
}

/** A transition as processes share it: the state entered, when, why, and (open) when it probes. */
export type SharedTransition = BreakerTransition & { probeAt?: number };

/**
 * Shares breakers between processes (the server implements it over Redis): transitions made here are
 * published; `claimProbe` lets exactly one process send the probe of an open breaker; `snapshot` is
 * the last shared state, read when a process first uses a key. Failures are counted per process, and
 * rate limits stay per process.
 */
export interface BreakerSync {
  publish(scope: string, key: string, transition: SharedTransition): void;
  claimProbe(scope: string, key: string, ttlMs: number): Promise<boolean>;
  snapshot(scope: string, key: string): Promise<SharedTransition | null>;
}

export interface ResilienceRegistryOptions {
  settings?: SettingsLookup;
  clock?: ResilienceClock;
  /** A ticket nobody settles (its worker died) is given up after this long; default 15 min. */
  maxHoldMs?: number;
}

/**
 * Every breaker and rate limiter of a process, per scope (workspace) and key (`model:openai`,
 * `http:api.example.com`), created on first use with the scope's settings (re-read on every call, so
 * a changed setting applies to the next call). Calls are tickets: `admit` checks the breaker, then
 * the limiter (wait in line, or go), then enters the breaker; `settle` reports the outcome.
 */
export class ResilienceRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly tickets = new Map<string, Ticket>();
  private readonly clock: ResilienceClock;
  private readonly settings: SettingsLookup;
  private readonly maxHoldMs: number;
  private nextTicket = 0;
  private sync?: BreakerSync;

  constructor(options: ResilienceRegistryOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.settings = options.settings ?? (() => DEFAULT_PROVIDER_SETTINGS);
    this.maxHoldMs = options.maxHoldMs ?? 15 * 60_000;
  }

  /** Shares breaker transitions with other processes from now on (the server, when REDIS_URL is set). */
  setSync(sync: BreakerSync | undefined): void {
    this.sync = sync;
  }

  /** A transition another process made: open since `at`, or closed (half-open is that process's probe; the probe claim covers it). */
  applyRemote(scope: string, key: string, t: SharedTransition): void {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (entry && (t.state === "open" || t.state === "closed")) entry.breaker.force(t.state, t.at, t.reason);
  }

  /** The engine's view of one scope. */
  forScope(scope: string): ResilienceService {
    return {
      admit: (request) => this.admit(scope, request),
      wait: (ticket) => this.wait(ticket),
      settle: async (ticket, outcome, detail) => this.settle(ticket, outcome, detail),
    };
  }

  /** The breakers of a scope, by key. */
  status(scope: string): BreakerStatus[] {
    const prefix = `${scope}\u0000`;
    return [...this.entries]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, e]) => e.breaker.status(e.limiter.waiting))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Applies a scope's changed settings to the breakers and limiters it already has. */
  async refresh(scope: string): Promise<void> {
    const prefix = `${scope}\u0000`;
    for (const [k, e] of this.entries) if (k.startsWith(prefix)) this.apply(e, await this.settings(scope, e.breaker.key));
  }

  async admit(scope: string, request: AdmitRequest): Promise<AdmitAnswer> {
    const settings = await this.settings(scope, request.key);
    const id = `${scope}\u0000${request.key}`;
    let entry = this.entries.get(id);
    if (!entry) {
      const created = { breaker: new ProviderBreaker(request.key, settings, this.clock), limiter: new RateLimiter(settings, this.clock) };
      this.entries.set(id, (entry = created));
      created.breaker.onTransition = (t) => this.sync?.publish(scope, request.key, t);
      // Another process may have opened it already.
      const shared = await this.sync?.snapshot(scope, request.key).catch(() => null);
      if (shared && (shared.state === "open" || shared.state === "closed")) created.breaker.force(shared.state, shared.at, shared.reason);
    } else this.apply(entry, settings);
    // With several processes, one of them sends the probe of an open breaker; the others stay refused.
    if (this.sync && entry.breaker.state === "open" && this.clock.now() >= (entry.breaker.probeAt ?? 0)) {
      const claimed = await this.sync.claimProbe(scope, request.key, settings.cooldownMs).catch(() => true);
      if (!claimed) return { status: "open", message: `${entry.breaker.refusalAfterCooldown()} Another server is sending the probe call.` };
    }
    // Open: fail fast before taking a place in the rate-limit line.
    const refused = entry.breaker.refusal();
    if (refused) return { status: "open", message: refused };
    const ticketId = `t${++this.nextTicket}`;
    const ticket: Ticket = { entry, tokens: request.tokens, queuedAt: this.clock.now(), cancelExpiry: () => {} };
    const wait = entry.limiter.take(request.tokens);
    if (wait) {
      ticket.wait = wait;
      this.hold(ticketId, ticket);
      return { status: "queued", ticket: ticketId, position: wait.position, limit: wait.limit, etaMs: wait.etaMs };
    }
    const entered = entry.breaker.enter();
    if (!entered.ok) return { status: "open", message: entered.message };
    ticket.pass = entered.pass;
    this.hold(ticketId, ticket);
    return { status: "admitted", ticket: ticketId, probe: entered.pass.probe };
  }

  async wait(ticketId: string): Promise<WaitAnswer> {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) return { status: "expired", message: "The rate-limit place was given up (cancelled, or held past its time)." };
    if (ticket.wait) {
      try {
        await ticket.wait.done;
      } catch (err) {
        return { status: "expired", message: err instanceof Error ? err.message : String(err) };
      }
      ticket.wait = undefined;
    }
    const waitedMs = this.clock.now() - ticket.queuedAt;
    if (ticket.pass) return { status: "admitted", waitedMs, probe: ticket.pass.probe };
    const entered = ticket.entry.breaker.enter();
    if (!entered.ok) {
      this.drop(ticketId);
      return { status: "open", message: entered.message };
    }
    ticket.pass = entered.pass;
    return { status: "admitted", waitedMs, probe: entered.pass.probe };
  }

  settle(ticketId: string, outcome: CallOutcome, detail: { reason?: string; tokens?: number } = {}): void {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) return;
    this.drop(ticketId);
    if (ticket.wait) ticket.wait.cancel(new Error("The call gave up its place in the rate-limit line."));
    ticket.pass?.settle(outcome, detail.reason);
    if (detail.tokens !== undefined && ticket.pass) ticket.entry.limiter.adjust(detail.tokens - ticket.tokens);
  }

  private hold(id: string, ticket: Ticket) {
    ticket.cancelExpiry = this.clock.after(this.maxHoldMs, () => {
      if (ticket.wait) ticket.wait.cancel(new Error(`Waited longer than ${Math.round(this.maxHoldMs / 1000)} s for the rate limit.`));
      this.settle(id, "cancelled");
    });
    this.tickets.set(id, ticket);
  }

  private drop(id: string) {
    this.tickets.get(id)?.cancelExpiry();
    this.tickets.delete(id);
  }

  private apply(entry: Entry, settings: ProviderSettings) {
    entry.breaker.configure(settings);
    entry.limiter.configure(settings);
  }
}
