import "server-only";
import type { z } from "zod";
import { LIMITS, formatPath } from "@/lib/workflow";
import { AppError, DB_RETRY_AFTER_SECONDS, databaseUnavailable, ErrorCode, type ErrorExtra } from "./errors";
import { StoredDocumentError } from "@/lib/db/documents";
import { AUTH_STATUS, AuthError } from "@/lib/auth/errors";
import { isIdParam } from "./path-id";

/** HTTP status of each error code. */
const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  INVALID_DOCUMENT: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  WORKFLOW_INVALID: 400,
  INPUT_INVALID: 400,
  RUN_STATE_CONFLICT: 409,
  VERSION_CONFLICT: 409,
  CREDENTIAL_NAME_TAKEN: 409,
  CREDENTIAL_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  STORED_DOCUMENT_INVALID: 500,
  DB_UNAVAILABLE: 503,
  RUN_HISTORY_COMPACTED: 410,
  RETENTION_CONFIG_INVALID: 503,
  QUEUE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** A JSON response (no caching: every API answer is live data). */
export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json; charset=utf-8");
  if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(data), { ...init, headers });
}

/** `{ error: { code, message, issues?, currentVersion? } }` with the status of the code. */
export function errorResponse(code: ErrorCode, message: string, extra: ErrorExtra = {}): Response {
  return json({ error: { code, message, ...extra } }, { status: STATUS[code] });
}

/** Turns anything thrown by a handler into the API's error response; unexpected errors are logged and hidden. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) return errorResponse(error.code, error.message, error.extra);
  if (error instanceof AuthError) {
    const headers: Record<string, string> = error.retryAfterSeconds ? { "retry-after": String(error.retryAfterSeconds) } : {};
    return json({ error: { code: error.code, message: error.message } }, { status: AUTH_STATUS[error.code], headers });
  }
  const unavailable = databaseUnavailable(error);
  if (unavailable) {
    return json(
      { error: { code: unavailable.code, message: unavailable.message } },
      { status: 503, headers: { "retry-after": String(DB_RETRY_AFTER_SECONDS) } },
    );
  }
  if (error instanceof StoredDocumentError) {
    console.error(JSON.stringify({ level: "error", msg: error.message, workflowId: error.workflowId, version: error.version }));
    return errorResponse(ErrorCode.STORED_DOCUMENT_INVALID, error.message);
  }
  console.error(JSON.stringify({ level: "error", msg: "unhandled error in API route", err: error instanceof Error ? error.stack : String(error) }));
  return errorResponse(ErrorCode.INTERNAL, "Internal server error. The server log has the details.");
}

/** Wraps a route handler so that every thrown error becomes a JSON error response. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

const tooLarge = (max: number) =>
  new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${Math.floor(max / (1024 * 1024))} MB (${max} bytes).`);

/**
 * Reads a request body as text, refusing more than `maxBytes`: a larger Content-Length is refused
 * before reading, and the stream itself is counted (Content-Length may be absent or wrong).
 */
export async function readBodyText(request: Request, maxBytes: number = LIMITS.maxBodyBytes): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Refuses a body declared as something other than JSON (415 UNSUPPORTED_MEDIA_TYPE): form posts
 * (urlencoded, multipart, text/plain) are what a cross-site page can send without a CORS preflight,
 * so no JSON route accepts them. An absent content type is read as JSON (curl, scripts).
 */
export function assertJsonContentType(request: Request): void {
  const type = request.headers.get("content-type");
  if (!type) return;
  const essence = type.split(";")[0].trim().toLowerCase();
  if (essence === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(essence)) return;
  throw new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `The body is ${JSON.stringify(essence.slice(0, 100))}; send JSON with Content-Type: application/json.`);
}

/** Reads a JSON body with the size cap of readBodyText; malformed or empty JSON → 400 INVALID_JSON. */
export async function readJsonBody(request: Request, maxBytes: number = LIMITS.maxBodyBytes): Promise<unknown> {
  assertJsonContentType(request);
  const text = await readBodyText(request, maxBytes);
  if (!text.trim()) throw new AppError(ErrorCode.INVALID_JSON, "The request body is empty; send a JSON document.");
  return parseJsonText(text);
}

/** How deep a JSON body may nest. Workflow documents need about ten levels; nothing legitimate needs 100. */
export const MAX_JSON_DEPTH = 100;

/** The nesting depth of a parsed JSON value, counted without recursion (a 100k-deep array cannot overflow the stack). */
export function jsonDepth(value: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth + 1 > max) max = depth + 1;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * Parses a request body's JSON: malformed → 400 INVALID_JSON; nested deeper than MAX_JSON_DEPTH →
 * 400 BAD_REQUEST (the validators, the canvas and JSON.stringify all recurse; a 10k-deep array would
 * otherwise overflow the stack somewhere later as a 500).
 */
export function parseJsonText(text: string, what = "request body"): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError(ErrorCode.INVALID_JSON, `The ${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new AppError(ErrorCode.BAD_REQUEST, `The ${what} is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it.`, {
      issues: [{ path: "$", code: "TOO_DEEP", message: `At most ${MAX_JSON_DEPTH} levels of nesting.` }],
    });
  return value;
}

/** Checks a value against a zod schema; failures → 400 BAD_REQUEST with one issue per problem. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what = "request body"): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: formatPath(i.path.map((p) => (typeof p === "symbol" ? String(p) : p))),
    code: i.code,
    message: i.message,
  }));
  throw new AppError(ErrorCode.BAD_REQUEST, `The ${what} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, { issues });
}

/** A route parameter that must be a version number (1, 2, …). */
export function versionParam(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new AppError(ErrorCode.BAD_REQUEST, `"${value}" is not a version number (1, 2, …).`);
  return Number(value);
}

export { isIdParam };

/**
 * A path parameter that must be an id. A malformed one answers 404 NOT_FOUND, like any id that does not
 * exist (no such record can have it): the route never reaches the database with it.
 */
export function idParam(value: string, what = "Record"): string {
  if (isIdParam(value)) return value;
  const shown = JSON.stringify(value.slice(0, 64));
  throw new AppError(ErrorCode.NOT_FOUND, `${what} ${shown} does not exist: ids contain only letters, digits, '_', '.', ':' and '-' (at most 128, no "..").`);
}
