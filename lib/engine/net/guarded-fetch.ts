import { promises as dns } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { EngineError, EngineErrorCode } from "../errors";
import { checkAddress, checkHostname, type EgressPolicy } from "./egress-policy";

/** Resolves a hostname to every address it has (tests stub it; the default asks the OS like fetch does). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * A `lookup` for node:net that resolves, refuses the host if ANY of its addresses is forbidden, and
 * hands back exactly the addresses it checked: the socket connects to a checked address, so a DNS
 * answer that changes between check and connect (rebinding) has no window.
 */
export function guardedLookup(policy: EgressPolicy, resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        try {
          if (found.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
          for (const a of found) checkAddress(policy, hostname, a.address);
          const wanted = found.filter((a) => !options.family || a.family === options.family);
          const list = wanted.length ? wanted : found;
          if (options.all) (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, list);
          else callback(null, list[0].address, list[0].family);
        } catch (err) {
          callback(err as NodeJS.ErrnoException, "", 0);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
}

export interface GuardedRequest {
  method: string;
  headers: Headers;
  body?: string;
  signal: AbortSignal;
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

/** Un-compresses a response body the way fetch does (the size cap applies to what comes out). */
function decoded(res: http.IncomingMessage): Readable {
  const encoding = String(res.headers["content-encoding"] ?? "")
    .trim()
    .toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") return res.pipe(zlib.createGunzip());
  if (encoding === "deflate") return res.pipe(zlib.createInflate());
  if (encoding === "br") return res.pipe(zlib.createBrotliDecompress());
  return res;
}

/**
 * One HTTP request (no redirects followed) through node:http with the egress policy enforced at
 * connect time: literal addresses and metadata names are checked here, names through guardedLookup.
 * Answers a WHATWG Response, like fetch. No connection reuse: each request gets its own checked socket.
 */
export function guardedFetch(url: URL, init: GuardedRequest, options: { policy: EgressPolicy; resolve?: Resolver }): Promise<Response> {
  checkHostname(options.policy, url.hostname);
  const headers: Record<string, string> = {};
  init.headers.forEach((v, k) => (headers[k] = v));
  headers["accept"] ??= "*/*";
  headers["accept-encoding"] ??= "gzip, deflate, br";
  headers["user-agent"] ??= "aura-studio";
  if (init.body !== undefined) {
    headers["content-type"] ??= "text/plain;charset=UTF-8";
    headers["content-length"] = String(Buffer.byteLength(init.body));
  }
  const client = url.protocol === "https:" ? https : url.protocol === "http:" ? http : null;
  if (!client) return Promise.reject(new EngineError(EngineErrorCode.HTTP_HOST_NOT_ALLOWED, `Only http and https URLs are allowed, not ${url.protocol}`));
  return new Promise<Response>((resolve, reject) => {
    const req = client.request(url, {
      method: init.method,
      headers,
      agent: false,
      lookup: guardedLookup(options.policy, options.resolve ?? systemResolver),
      signal: init.signal,
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 599) {
        res.destroy();
        return reject(new Error(`unexpected status ${status}`));
      }
      const h = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
      const noBody = NULL_BODY_STATUS.has(status) || init.method === "HEAD";
      if (noBody) res.resume();
      const body = noBody ? null : (Readable.toWeb(decoded(res)) as ReadableStream<Uint8Array>);
      resolve(new Response(body, { status, statusText: res.statusMessage ?? "", headers: h }));
    });
    req.end(init.body);
  });
}
