import type { ApiError } from "@/lib/contracts";
import { isOpenPage, signInPath } from "./auth-paths";

/** An HTTP error from the Aura API, carrying the server's code, message and issue list. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: NonNullable<ApiError["error"]["issues"]> = [],
    readonly currentVersion?: number,
    /** Seconds the server asks to wait (429 Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/**
 * The one place a lost session is noticed: a 401 UNAUTHENTICATED from any API call in the browser
 * sends the user to the sign-in page (and back here afterwards). Not on the open pages, which ask
 * "am I signed in?" on purpose, and not for a wrong password (INVALID_CREDENTIALS is also a 401).
 */
function toSignInOnLostSession(status: number, code: string | undefined): void {
  if (status !== 401 || code !== "UNAUTHENTICATED" || typeof window === "undefined") return;
  const { pathname, search } = window.location;
  if (isOpenPage(pathname)) return;
  window.location.assign(signInPath(pathname + search));
}

/** fetch + JSON with the API's error shape turned into ApiRequestError (network failures too). */
export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(path, {
      ...rest,
      headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch (e) {
    throw new ApiRequestError(0, "NETWORK_ERROR", `Could not reach the server: ${e instanceof Error ? e.message : String(e)}`);
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: handled below */
  }
  if (!res.ok) {
    const err = (body as ApiError | undefined)?.error;
    toSignInOnLostSession(res.status, err?.code);
    const retryAfter = Number(res.headers.get("retry-after"));
    throw new ApiRequestError(
      res.status,
      err?.code ?? `HTTP_${res.status}`,
      err?.message ?? (text.slice(0, 200) || res.statusText),
      err?.issues,
      err?.currentVersion,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return body as T;
}
