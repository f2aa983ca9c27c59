/** Stable codes of access failures; lib/server/http maps each to its status. */
export const AuthErrorCode = {
  /** 401: no valid session or token. */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** 403: signed in, but the role does not allow it. */
  FORBIDDEN: "FORBIDDEN",
  /** 403: a cookie-authenticated change from another site. */
  CROSS_ORIGIN: "CROSS_ORIGIN",
  /** 403: the owner account does not exist yet (and this caller may not create it). */
  SETUP_PENDING: "SETUP_PENDING",
  /** 409: setup already done. */
  SETUP_DONE: "SETUP_DONE",
  /** 401: wrong email or password. */
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  /** 429: too many sign-in attempts. */
  RATE_LIMITED: "RATE_LIMITED",
  /** 404: no such member, link or token in this workspace. */
  NOT_FOUND: "NOT_FOUND",
  /** 410: an invitation or reset link that expired or was used. */
  LINK_EXPIRED: "LINK_EXPIRED",
} as const;
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

export const AUTH_STATUS: Record<AuthErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CROSS_ORIGIN: 403,
  SETUP_PENDING: 403,
  SETUP_DONE: 409,
  INVALID_CREDENTIALS: 401,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  LINK_EXPIRED: 410,
};

/** The brand of an AuthError, the same in every bundle (see AuthError's instanceof). */
const AUTH_ERROR = Symbol.for("aura.AuthError");

/**
 * An access failure with a stable code and a message a person can act on. `instanceof` goes by a
 * process-wide brand, as AppError's does: Next's route bundle and the server bundle each hold a copy of
 * this class, and an AuthError thrown in one must answer its status, not 500, when the other catches it.
 */
export class AuthError extends Error {
  readonly [AUTH_ERROR] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [AUTH_ERROR]?: unknown })[AUTH_ERROR] === true;
  }

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AuthError";
  }
}
