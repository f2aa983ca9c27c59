import "server-only";
import type { z } from "zod";
import { LIMITS, formatPath } from "@/lib/workflow";
import { AppError, ErrorCode, type ApiIssue } from "./errors";
import { StoredDocumentError } from "@/lib/db/documents";

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
  PAYLOAD_TOO_LARGE: 413,
  STORED_DOCUMENT_INVALID: 500,
  DB_UNAVAILABLE: 503,
  RUN_HISTORY_COMPACTED: 410,
  RETENTION_CONFIG_INVALID: 503,
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
export function errorResponse(code: ErrorCode, message: string, extra: { issues?: ApiIssue[]; currentVersion?: number } = {}): Response {
  return json({ error: { code, message, ...extra } }, { status: STATUS[code] });
}

/** Turns anything thrown by a handler into the API's error response; unexpected errors are logged and hidden. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) return errorResponse(error.code, error.message, error.extra);
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

/** Reads a JSON body with the size cap of readBodyText; malformed or empty JSON → 400 INVALID_JSON. */
export async function readJsonBody(request: Request, maxBytes: number = LIMITS.maxBodyBytes): Promise<unknown> {
  const text = await readBodyText(request, maxBytes);
  if (!text.trim()) throw new AppError(ErrorCode.INVALID_JSON, "The request body is empty; send a JSON document.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError(ErrorCode.INVALID_JSON, `The request body is not valid JSON: ${(error as Error).message}`);
  }
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
