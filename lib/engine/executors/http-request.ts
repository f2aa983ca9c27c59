import { EngineError, EngineErrorCode, httpStatusCode } from "../errors";
import { checkHostname, egressPolicyFromEnv, hostMatches, type EgressPolicy } from "../net/egress-policy";
import { guardedFetch, type GuardedRequest } from "../net/guarded-fetch";
import { renderTemplate } from "../template";
import { httpAuthHeader } from "./http-auth";
import { guardCall } from "../resilience/guard";
import type { ExecutorFor } from "./types";

/** Whether `host` is in the node's Allowed hosts: an exact entry (a port is ignored), or `*.example.com` for its subdomains. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return hostMatches(
    host,
    // "host:8080" and "[::1]:8080" name the host; a bare IPv6 address ("fd00::1") has colons of its own.
    allowed.map((a) => a.trim().replace(/^(\[[^\]]*\]|[^:]+):\d+$/, "$1")),
  );
}

/** Most redirects one call follows; each hop is checked again like the first URL. */
const MAX_REDIRECTS = 5;

/**
 * Checks a URL (the first one and every redirect target): http(s) only, in the node's Allowed hosts
 * (the workflow author's restriction), and not a literal forbidden address or metadata name (the
 * server admin's rule; names are checked again after DNS resolution, at connect time).
 */
function checkUrl(raw: string, allowed: readonly string[], policy: EgressPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EngineError(EngineErrorCode.HTTP_HOST_NOT_ALLOWED, `"${raw}" is not a valid URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new EngineError(EngineErrorCode.HTTP_HOST_NOT_ALLOWED, `Only http and https URLs are allowed, not ${url.protocol}`);
  if (!hostAllowed(url.hostname, allowed)) {
    throw new EngineError(
      EngineErrorCode.HTTP_HOST_NOT_ALLOWED,
      `Host "${url.hostname}" is not in Allowed hosts (${allowed.join(", ") || "none"}); add it to call this URL.`,
    );
  }
  checkHostname(policy, url.hostname);
  return url;
}

/** Reads a body, failing as soon as it passes `max` bytes. */
async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max)
    throw new EngineError(EngineErrorCode.HTTP_RESPONSE_TOO_LARGE, `The response is ${declared} bytes; the cap is ${max}.`);
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new EngineError(EngineErrorCode.HTTP_RESPONSE_TOO_LARGE, `The response is larger than the ${max}-byte cap.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Headers a redirect to another origin must not carry (what fetch drops too). */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/**
 * HTTP request: only Allowed hosts are reached, and only public addresses unless the server's admin
 * allows more (lib/engine/net); redirects are followed by hand and every hop is checked again; the
 * request times out and the response is size-capped. Status 400 and above fail with HTTP_<status>.
 */
export const httpRequest: ExecutorFor<"http-request"> = () => async (ctx) => {
  const c = ctx.config;
  const policy = ctx.services.egressPolicy ?? egressPolicyFromEnv(process.env);
  const injected = ctx.services.fetch;
  const send = (u: URL, init: GuardedRequest): Promise<Response> =>
    injected ? injected(u, { ...init, redirect: "manual" }) : guardedFetch(u, init, { policy, resolve: ctx.services.resolveHost });
  const url = checkUrl(renderTemplate(c.url, ctx.state).trim(), c.allowedHosts, policy);
  const headers = new Headers();
  for (const h of c.headers) headers.set(h.name, renderTemplate(h.value, ctx.state));
  const auth = await httpAuthHeader(ctx); // a credential's header wins over a typed one of the same name
  if (auth) headers.set(auth[0], auth[1]);
  let method: string = c.method;
  let body = method === "GET" || method === "DELETE" || !c.body ? undefined : renderTemplate(c.body, ctx.state);
  // The host's circuit breaker and rate limit (lib/engine/resilience): fail fast while open, wait in line over the limit.
  return guardCall(
    ctx.services.resilience,
    { key: `http:${url.host}`, tokens: 0 },
    { signal: ctx.signal, onThrottle: (n) => ctx.emit({ type: "node.throttled", ...n }) },
    () => perform(url),
  );

  async function perform(first: URL) {
    let url = first;
    const timeout = AbortSignal.timeout(c.timeoutMs);
    const signal = AbortSignal.any([ctx.signal, timeout]);
    try {
      let res: Response;
      for (let hops = 0; ; hops++) {
        res = await send(url, { method, headers, body, signal });
        const location = res.headers.get("location");
        if (res.status < 300 || res.status >= 400 || !location) break;
        await res.body?.cancel().catch(() => {});
        if (hops >= MAX_REDIRECTS)
          throw new EngineError(EngineErrorCode.HTTP_TOO_MANY_REDIRECTS, `${c.method} ${url.host} redirected more than ${MAX_REDIRECTS} times.`);
        const next = checkUrl(new URL(location, url).toString(), c.allowedHosts, policy);
        // Like fetch: 303 (and 301/302 after a POST) continue as GET without the body.
        if (res.status === 303 ? method !== "HEAD" : (res.status === 301 || res.status === 302) && method === "POST") {
          method = "GET";
          body = undefined;
          headers.delete("content-type");
        }
        if (next.origin !== url.origin) {
          for (const h of CREDENTIAL_HEADERS) headers.delete(h);
          if (auth) headers.delete(auth[0]); // a credential is never sent on to another origin (also a custom header)
        }
        url = next;
      }
      const bytes = await readCapped(res, c.maxResponseBytes);
      const text = new TextDecoder().decode(bytes);
      const type = res.headers.get("content-type") ?? "";
      let parsed: unknown = text;
      if (/json/i.test(type)) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      if (res.status >= 400)
        throw new EngineError(
          httpStatusCode(res.status),
          `${c.method} ${url.host}${url.pathname} answered ${res.status} ${res.statusText}: ${text.slice(0, 200)}`,
        );
      return { value: { status: res.status, headers: Object.fromEntries(res.headers), body: parsed }, detail: { status: res.status, bytes: bytes.byteLength } };
    } catch (err) {
      if (err instanceof EngineError) throw err;
      if (timeout.aborted && !ctx.signal.aborted)
        throw new EngineError(EngineErrorCode.HTTP_TIMEOUT, `${c.method} ${url.host} did not answer within ${c.timeoutMs} ms.`);
      if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
      throw new EngineError(
        EngineErrorCode.HTTP_NETWORK,
        `${c.method} ${url.host} failed: ${(err as Error).message}${(err as { cause?: Error }).cause?.message ? ` (${(err as { cause?: Error }).cause!.message})` : ""}`,
      );
    }
  }
};
