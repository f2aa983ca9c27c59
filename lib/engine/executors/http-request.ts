import { EngineError, EngineErrorCode, httpStatusCode } from "../errors";
import { renderTemplate } from "../template";
import { httpAuthHeader } from "./http-auth";
import type { ExecutorFor } from "./types";

/** Whether `host` is allowed: an exact entry, or `*.example.com` for its subdomains. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return allowed.some((a) => {
    const rule = a.trim().toLowerCase();
    if (rule.startsWith("*.")) return h.endsWith(rule.slice(1));
    return h === rule.replace(/:\d+$/, "");
  });
}

function checkUrl(raw: string, allowed: readonly string[]): URL {
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

/**
 * HTTP request: only Allowed hosts are reached (redirects are followed by hand and checked too), the
 * request times out, and the response is size-capped. Status 400 and above fail with HTTP_<status>.
 */
export const httpRequest: ExecutorFor<"http-request"> = () => async (ctx) => {
  const c = ctx.config;
  const doFetch = ctx.services.fetch ?? fetch;
  let url = checkUrl(renderTemplate(c.url, ctx.state).trim(), c.allowedHosts);
  const headers = new Headers();
  for (const h of c.headers) headers.set(h.name, renderTemplate(h.value, ctx.state));
  const auth = await httpAuthHeader(ctx); // a credential's header wins over a typed one of the same name
  if (auth) headers.set(auth[0], auth[1]);
  const body = c.method === "GET" || c.method === "DELETE" || !c.body ? undefined : renderTemplate(c.body, ctx.state);
  const timeout = AbortSignal.timeout(c.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    let res: Response;
    for (let hops = 0; ; hops++) {
      res = await doFetch(url, { method: c.method, headers, body, signal, redirect: "manual" });
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location && hops < 5) {
        await res.body?.cancel().catch(() => {});
        const from = url.origin;
        url = checkUrl(new URL(location, url).toString(), c.allowedHosts);
        if (auth && url.origin !== from) headers.delete(auth[0]); // a credential is never sent on to another origin
        continue;
      }
      break;
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
};
