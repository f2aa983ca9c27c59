import { ApiRequestError } from "@/lib/api/client";

/**
 * One readable sentence for a failed account call: the server's message, its field issues, and for
 * a rate limit how long to wait (from Retry-After).
 */
export function accountErrorText(error: unknown): string {
  if (!(error instanceof ApiRequestError)) return error instanceof Error ? error.message : String(error);
  if (error.code === "RATE_LIMITED") {
    const wait = error.retryAfterSeconds;
    return wait ? `Too many attempts. Try again in ${waitText(wait)}.` : `Too many attempts. ${error.message}`;
  }
  // The server words it for its context ("Wrong email or password", "The current password is wrong").
  if (error.code === "INVALID_CREDENTIALS") return error.message || "Wrong email or password.";
  const issues = error.issues.map((i) => i.message).filter((m) => m && !error.message.includes(m));
  return issues.length ? `${error.message} ${issues.join(" ")}` : error.message;
}

/** "45 seconds", "1 minute", "3 minutes" (rounded up: never tell someone to come back too early). */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} second${Math.ceil(seconds) === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
