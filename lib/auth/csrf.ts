// Cross-site request forgery protection for cookie-authenticated requests, after Go 1.25's
// net/http CrossOriginProtection (https://pkg.go.dev/net/http#CrossOriginProtection): modern browsers
// say where a request comes from in Sec-Fetch-Site; older ones at least send Origin on a cross-origin
// POST. No token to issue or store. Pure: no Next, no Node, so the route wrapper and the Socket.IO
// handshake can both call it. Requests authenticated by a Bearer token need no check (a browser never
// attaches one by itself).

/** The parts of a request the check reads (a fetch Request fits; so does an adapter over Node's IncomingMessage). */
export interface CsrfRequest {
  method: string;
  headers: { get(name: string): string | null };
}

export interface CsrfOptions {
  /**
   * Origins (scheme://host[:port], exactly as browsers send them) that may mutate although they are
   * another site: a separate front-end, or the public URL when a proxy rewrites Host.
   */
  trustedOrigins?: readonly string[];
}

/** Why a request passed or failed; `reason` is a stable code, `message` says it to a person. */
export type CsrfVerdict =
  | { ok: true; reason: "SAFE_METHOD" | "SAME_ORIGIN" | "USER_INITIATED" | "ORIGIN_MATCHES_HOST" | "NOT_A_BROWSER" | "TRUSTED_ORIGIN" }
  | { ok: false; reason: "CROSS_ORIGIN" | "CROSS_ORIGIN_OLD_BROWSER"; message: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host[:port] of an Origin header, or null when it is not a URL (e.g. "null" from a sandboxed frame). */
function originHost(origin: string): string | null {
  try {
    const u = new URL(origin);
    return u.host || null;
  } catch {
    return null;
  }
}

function trusted(origin: string | null, options: CsrfOptions): boolean {
  return !!origin && !!options.trustedOrigins?.includes(origin);
}

/**
 * May this request change state? Go 1.25's algorithm, step by step:
 * 1. GET, HEAD and OPTIONS pass (they must not change state anyway).
 * 2. Sec-Fetch-Site "same-origin" passes, "none" passes (the user typed the URL or used a bookmark);
 *    any other value ("cross-site", "same-site") fails unless the Origin is trusted. Same-site fails
 *    too: a sibling subdomain is another application.
 * 3. Without Sec-Fetch-Site: no Origin either → pass (not a browser, or a same-origin request of a
 *    very old one: curl, the CLI, server-to-server calls); Origin's host equal to Host → pass;
 *    a trusted Origin → pass; anything else fails.
 * Like Go, step 3 ignores the scheme (Host carries none): an http page posting to the https site of
 * the same host passes in a browser without Sec-Fetch-Site (every current browser sends it since 2023).
 */
export function checkCrossOrigin(request: CsrfRequest, options: CsrfOptions = {}): CsrfVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { ok: true, reason: "SAFE_METHOD" };
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (site) {
    if (site === "same-origin") return { ok: true, reason: "SAME_ORIGIN" };
    if (site === "none") return { ok: true, reason: "USER_INITIATED" };
    if (trusted(origin, options)) return { ok: true, reason: "TRUSTED_ORIGIN" };
    return {
      ok: false,
      reason: "CROSS_ORIGIN",
      message: `Cross-origin request refused (Sec-Fetch-Site: ${site}${origin ? `, Origin: ${origin}` : ""}). Call the API from the app's own pages, or with an API token (Authorization: Bearer).`,
    };
  }
  if (!origin) return { ok: true, reason: "NOT_A_BROWSER" };
  const host = request.headers.get("host");
  if (host && originHost(origin) === host.toLowerCase()) return { ok: true, reason: "ORIGIN_MATCHES_HOST" };
  if (trusted(origin, options)) return { ok: true, reason: "TRUSTED_ORIGIN" };
  return {
    ok: false,
    reason: "CROSS_ORIGIN_OLD_BROWSER",
    message: `Cross-origin request refused: Origin ${origin} does not match the host ${host ?? "(none)"}. Call the API from the app's own pages, or with an API token (Authorization: Bearer).`,
  };
}
