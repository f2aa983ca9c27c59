import "server-only";
import { AppError, ErrorCode } from "../errors";
import { readBodyText } from "../http";

/** A JSON body that may be absent (empty → `{}`); malformed JSON → 400 INVALID_JSON. */
export async function readOptionalJsonBody(request: Request): Promise<unknown> {
  const text = await readBodyText(request);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError(ErrorCode.INVALID_JSON, `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** URL search params as a plain object (for zod). */
export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
