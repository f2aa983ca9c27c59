import { EngineError, EngineErrorCode } from "../errors";
import type { CallOutcome } from "./provider-breaker";
import type { LimitName } from "./rate-limiter";
import type { AdmitRequest, ResilienceService } from "./service";

/** What a node shows while a call waits for a rate limit, and once it may go. */
export type ThrottleNotice =
  { phase: "waiting"; provider: string; limit: LimitName; position: number; etaMs: number } | { phase: "admitted"; provider: string; waitedMs: number };

export interface GuardHooks {
  /** Aborts on cancel and the node's timeout: a waiting call gives up its place in line. */
  signal: AbortSignal;
  /** Called when the call has to wait for a rate limit and when its turn comes. */
  onThrottle?: (notice: ThrottleNotice) => void;
}

/** Model codes that say the provider is unwell (not that the request was wrong). */
const PROVIDER_SIDE = new Set<string>([
  EngineErrorCode.MODEL_SERVER_ERROR,
  EngineErrorCode.MODEL_UNREACHABLE,
  EngineErrorCode.MODEL_RATE_LIMITED,
  EngineErrorCode.HTTP_TIMEOUT,
  EngineErrorCode.HTTP_NETWORK,
  EngineErrorCode.NODE_TIMEOUT,
  "HTTP_408",
  "HTTP_429",
]);

/**
 * How a failed call counts for its provider's breaker: provider-side failures (5xx, unreachable,
 * timeouts, 429) count; a 4xx caused by the request, a bad key or a script error does not; a
 * cancelled run is "cancelled". A node timeout aborts the call with NODE_TIMEOUT as the reason: a failure.
 */
export function classifyFailure(err: unknown, signal: AbortSignal): CallOutcome {
  const reason: unknown = signal.aborted ? signal.reason : err;
  const code = reason instanceof EngineError ? reason.code : undefined;
  if (signal.aborted && code !== EngineErrorCode.NODE_TIMEOUT) return "cancelled";
  if (!code) return "neutral";
  return PROVIDER_SIDE.has(code) || /^HTTP_5\d\d$/.test(code) ? "failure" : "neutral";
}

/** The signal's reason as an Error (a string reason is wrapped). */
function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException(typeof r === "string" ? r : "Aborted", "AbortError");
}

function circuitOpen(message: string): EngineError {
  return new EngineError(EngineErrorCode.CIRCUIT_OPEN, message);
}

/**
 * Runs `call` under the breaker and rate limit of `request.key`: fails fast with CIRCUIT_OPEN while the
 * breaker is open, waits in line (FIFO) while the rate limit is used up (telling `onThrottle`), then
 * reports the outcome (and the actual tokens, from `tokensOf`). Without a service it just calls.
 */
export async function guardCall<T>(
  service: ResilienceService | undefined,
  request: AdmitRequest,
  hooks: GuardHooks,
  call: () => Promise<T>,
  tokensOf?: (result: T) => number,
): Promise<T> {
  if (!service) return call();
  // The bookkeeping failing (an RPC to a busy main thread) must not fail the call: it goes unguarded.
  const admitted = await service.admit(request).catch(() => null);
  if (!admitted) return call();
  if (admitted.status === "open") throw circuitOpen(admitted.message);
  const ticket = admitted.ticket;
  if (admitted.status === "queued") {
    hooks.onThrottle?.({ phase: "waiting", provider: request.key, limit: admitted.limit, position: admitted.position, etaMs: admitted.etaMs });
    const giveUp = () => void service.settle(ticket, "cancelled").catch(() => {});
    hooks.signal.addEventListener("abort", giveUp, { once: true });
    try {
      const turn = await Promise.race([
        service.wait(ticket),
        new Promise<never>((_, reject) => {
          // Rejects with the abort reason (the node's NODE_TIMEOUT EngineError, or the run's cancel), like the rest of the engine.
          const abort = () => reject(abortReason(hooks.signal));
          if (hooks.signal.aborted) abort();
          hooks.signal.addEventListener("abort", abort, { once: true });
        }),
      ]);
      if (turn.status === "open") throw circuitOpen(turn.message);
      if (turn.status === "expired") throw new EngineError(EngineErrorCode.NODE_TIMEOUT, turn.message);
      hooks.onThrottle?.({ phase: "admitted", provider: request.key, waitedMs: turn.waitedMs });
    } finally {
      hooks.signal.removeEventListener("abort", giveUp);
    }
  }
  try {
    const result = await call();
    void service.settle(ticket, "success", tokensOf ? { tokens: tokensOf(result) } : {}).catch(() => {});
    return result;
  } catch (err) {
    const outcome = classifyFailure(err, hooks.signal);
    void service.settle(ticket, outcome, { reason: err instanceof Error ? err.message : String(err) }).catch(() => {});
    throw err;
  }
}
