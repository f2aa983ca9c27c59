import "server-only";
import type { RunEvent } from "@/lib/contracts/events";
import { processSingleton } from "@/lib/process-singleton";
import { followRunEvents } from "./run-watch";

/** How often an idle stream sends a `: ping` comment, so proxies and clients keep the connection. */
export const SSE_HEARTBEAT_MS = 15_000;

/** Counted per process (route bundles and the server bundle share it). */
const streams = processSingleton("openRunStreams", () => ({ open: 0 }));

/** SSE responses streaming right now in this process (tests check that a dropped client is let go). */
export function openRunStreams(): number {
  return streams.open;
}

/** One SSE message: `id` = the event's seq (what Last-Event-ID sends back), `event` = its type. */
export function sseMessage(e: RunEvent): string {
  return `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

export interface RunStreamOptions {
  /** The caller's request: its abort (client gone) ends the stream. */
  signal?: AbortSignal;
  /** The run is settled: stream what is stored and close, without waiting for more. */
  storedOnly?: boolean;
  heartbeatMs?: number;
  /** Extra response headers (e.g. x-aura-run-id). */
  headers?: Record<string, string>;
}

/**
 * A `text/event-stream` Response with the run's events after `afterSeq`, each once and in order,
 * ending after the terminal event. Events are pulled one at a time as the client reads (a slow client
 * holds no growing buffer of them); heartbeats keep an idle connection open. The client going away
 * (request abort or stream cancel) stops the follower and the heartbeat.
 */
export function runEventStream(runId: string, afterSeq: number, options: RunStreamOptions = {}): Response {
  const encoder = new TextEncoder();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener("abort", onAbort);
  const events = followRunEvents(runId, afterSeq, { signal: stop.signal, storedOnly: options.storedOnly });
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let open = true;
  streams.open++;
  const close = () => {
    if (!open) return;
    open = false;
    streams.open--;
    if (heartbeat) clearInterval(heartbeat);
    options.signal?.removeEventListener("abort", onAbort);
    stop.abort();
    void events.return(undefined);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // The first bytes go out at once: headers reach the client and no proxy waits for a body.
      controller.enqueue(encoder.encode(`: run ${runId}\nretry: 2000\n\n`));
      heartbeat = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": ping\n\n"));
        } catch {
          close();
        }
      }, options.heartbeatMs ?? SSE_HEARTBEAT_MS);
    },
    async pull(controller) {
      try {
        const next = await events.next();
        if (!open) return;
        if (next.done) {
          close();
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(sseMessage(next.value)));
      } catch (err) {
        close();
        controller.error(err);
      }
    },
    cancel() {
      close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
      ...options.headers,
    },
  });
}

/** True when the request asks for Server-Sent Events. */
export const wantsEventStream = (request: Request) => (request.headers.get("accept") ?? "").includes("text/event-stream");
