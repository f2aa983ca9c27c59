import type { CallOutcome } from "./provider-breaker";
import type { LimitName } from "./rate-limiter";

/** One call a node is about to make to a provider or host. Plain data: it crosses to the main thread. */
export interface AdmitRequest {
  /** `model:<provider>` or `http:<host>` (lib/contracts/providers-api ProviderKeySchema). */
  key: string;
  /** Estimated tokens (0 for HTTP calls): the tokens-per-minute limit counts them. */
  tokens: number;
}

/** What `admit` answers: go, wait in line (then `wait`), or the breaker is open. */
export type AdmitAnswer =
  | { status: "admitted"; ticket: string; probe: boolean }
  | { status: "queued"; ticket: string; position: number; limit: LimitName; etaMs: number }
  | { status: "open"; message: string };

/** What `wait` answers once a queued call's turn came (or the breaker opened meanwhile). */
export type WaitAnswer =
  { status: "admitted"; waitedMs: number; probe: boolean } | { status: "open"; message: string } | { status: "expired"; message: string };

/**
 * Circuit breakers and rate limits as the engine sees them. The host keeps the state where every
 * thread of the process shares it (the server: its main thread, reached from run workers by RPC);
 * `ResilienceRegistry.forScope` is the in-process implementation. Every method takes and answers
 * plain data (structured clone).
 */
export interface ResilienceService {
  admit(request: AdmitRequest): Promise<AdmitAnswer>;
  /** Waits for a queued ticket's turn (rate limit); `settle(ticket, "cancelled")` gives up the place. */
  wait(ticket: string): Promise<WaitAnswer>;
  /** Reports how an admitted call ended (or that a queued one gave up); `tokens`: the actual usage. */
  settle(ticket: string, outcome: CallOutcome, detail?: { reason?: string; tokens?: number }): Promise<void>;
}

export type { CallOutcome };
