import { LRUCache } from "lru-cache";

/**
 * Failed sign-ins are counted per account and per address in a sliding window; past the limit every
 * attempt (right or wrong) is refused with 429 until the window has passed. Per account stops a slow
 * guess of one password from many addresses; per address stops one machine trying many accounts.
 * In memory, per process: with several web processes an attacker gets the limit once per process,
 * which still bounds guessing to a handful per minute.
 */
export interface SignInLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

export function createSignInLimiter(limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS, now: () => number = Date.now) {
  const failures = new LRUCache<string, number[]>({ max: 50_000, ttl: limits.windowMs });
  const recent = (key: string) => (failures.get(key) ?? []).filter((t) => t > now() - limits.windowMs);
  const keys = (email: string, ip: string) => [`a:${email.toLowerCase()}`, `ip:${ip}`] as const;

  return {
    /** Seconds to wait before another attempt, or 0 when one is allowed. */
    retryAfter(email: string, ip: string): number {
      const [account, address] = keys(email, ip);
      const waits: number[] = [];
      for (const [key, max] of [
        [account, limits.perAccount],
        [address, limits.perAddress],
      ] as const) {
        const times = recent(key);
        if (times.length >= max) waits.push(Math.ceil((times[times.length - max] + limits.windowMs - now()) / 1000));
      }
      return waits.length ? Math.max(1, ...waits) : 0;
    },
    fail(email: string, ip: string): void {
      for (const key of keys(email, ip)) failures.set(key, [...recent(key), now()]);
    },
    /** A successful sign-in clears the account's count (not the address's). */
    succeed(email: string): void {
      failures.delete(`a:${email.toLowerCase()}`);
    },
  };
}
