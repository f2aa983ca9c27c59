import "server-only";
import { AppError, ErrorCode } from "../errors";
import { assertJsonContentType, parseJsonText, readBodyText } from "../http";

/** A JSON body that may be absent (empty → `{}`); malformed JSON → 400 INVALID_JSON. */
export async function readOptionalJsonBody(request: Request): Promise<unknown> {
  const text = await readBodyText(request);
  if (!text.trim()) return {};
  assertJsonContentType(request);
  return parseJsonText(text);
}

/** URL search params as a plain object (for zod). */
export function queryOf(request: Request): Record<string, string> {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  // NUL and other control bytes have no meaning in any parameter, and PostgreSQL refuses NUL in text
  // (a 500 instead of a 400): stop them here, once, for every route that reads a query.
  for (const [key, value] of Object.entries(query))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(key + value))
      throw new AppError(ErrorCode.BAD_REQUEST, `The query parameter ${JSON.stringify(key.slice(0, 40))} contains control characters; send plain text.`);
  return query;
}
