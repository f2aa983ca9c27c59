import "server-only";
import { formatPath, type WorkflowIssue } from "@/lib/workflow";
import { isDatabaseUnavailable } from "@/lib/db/client-errors";

/** Stable error codes of the server layer; the HTTP layer maps each to a status (lib/server/http.ts). */
export const ErrorCode = {
  BAD_REQUEST: "BAD_REQUEST",
  INVALID_JSON: "INVALID_JSON",
  INVALID_DOCUMENT: "INVALID_DOCUMENT",
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  WORKFLOW_INVALID: "WORKFLOW_INVALID",
  INPUT_INVALID: "INPUT_INVALID",
  RUN_STATE_CONFLICT: "RUN_STATE_CONFLICT",
  VERSION_CONFLICT: "VERSION_CONFLICT",
  CREDENTIAL_NAME_TAKEN: "CREDENTIAL_NAME_TAKEN",
  CREDENTIAL_IN_USE: "CREDENTIAL_IN_USE",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  STORED_DOCUMENT_INVALID: "STORED_DOCUMENT_INVALID",
  DB_UNAVAILABLE: "DB_UNAVAILABLE",
  /** Time travel on a run whose checkpoints were compacted by retention (only the last one is left). */
  RUN_HISTORY_COMPACTED: "RUN_HISTORY_COMPACTED",
  /** An AURA_RETENTION_* variable is invalid, so the pruner is off. */
  RETENTION_CONFIG_INVALID: "RETENTION_CONFIG_INVALID",
  /** Queue mode: the run queue (Redis, REDIS_URL) did not take the run. */
  QUEUE_UNAVAILABLE: "QUEUE_UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One problem as the API reports it: `{ path: "$.nodes[0].kind", code, message }`. */
export interface ApiIssue {
  path: string;
  code: string;
  message: string;
}

/** Fields some errors carry besides code and message. */
export interface ErrorExtra {
  issues?: ApiIssue[];
  currentVersion?: number;
  /** CREDENTIAL_IN_USE: the workflows that refer to the credential. */
  workflows?: { id: string; name: string }[];
}

/** The brand of an AppError, the same in every bundle (see AppError's instanceof). */
const APP_ERROR = Symbol.for("aura.AppError");

/**
 * An expected failure of a use-case, with a stable code and a message that says how to fix it.
 * `instanceof AppError` goes by a process-wide brand, not by the class: Next's route bundle and the
 * server bundle (dist/server-main.js) each hold their own copy of this class, and an AppError thrown by
 * the one (the run queue, say) must still answer its status, not 500, when the other catches it.
 */
export class AppError extends Error {
  readonly [APP_ERROR] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [APP_ERROR]?: unknown })[APP_ERROR] === true;
  }

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: ErrorExtra = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Document issues in the API's form. */
export function toApiIssues(issues: readonly WorkflowIssue[]): ApiIssue[] {
  return issues.map((i) => ({ path: formatPath(i.path), code: i.code, message: i.message }));
}

export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} does not exist (it may have been deleted).`);

/** Seconds a client is told to wait (Retry-After) when the database is unreachable. */
export const DB_RETRY_AFTER_SECONDS = 5;

/**
 * The database is stopped, restarting or out of reach: 503 DB_UNAVAILABLE (with Retry-After) instead
 * of a 500, so clients and load balancers retry. Null when `error` is something else.
 */
export function databaseUnavailable(error: unknown): AppError | null {
  if (error instanceof AppError || !isDatabaseUnavailable(error)) return null;
  return new AppError(
    ErrorCode.DB_UNAVAILABLE,
    `The database is not reachable right now (restarting, stopped or out of connections); try again in ${DB_RETRY_AFTER_SECONDS} seconds. If it lasts, check DATABASE_URL and that PostgreSQL is running.`,
  );
}
