import "server-only";
import type { IncomingMessage } from "node:http";

/**
 * Whether Next may gzip the answer to this request. Not for the API's changes (POST, PUT, PATCH,
 * DELETE): their answers are a few hundred bytes of JSON (an id, a status, a run's result) or an event
 * stream, streamed without a length, so Next's compression (1 KB threshold, known lengths only) gzips
 * every one. There zlib costs more than the bytes it saves: it sets up its ~300 KB of state per
 * answer, 1–2 ms of the main thread per `POST …/runs?wait=` in bench/webhook.ts, and an event stream
 * would wait in its buffer. Pages, build assets and the API's reads (lists, exports) keep gzip.
 */
export function mayCompressAnswer(method: string | undefined, url: string | undefined): boolean {
  if (!url?.startsWith("/api/")) return true;
  return method === "GET" || method === "HEAD";
}

/** Drops the request's Accept-Encoding when its answer should not be compressed (see mayCompressAnswer). */
export function skipCompressionWhereUseless(req: IncomingMessage): void {
  if (!mayCompressAnswer(req.method, req.url)) delete req.headers["accept-encoding"];
}
