import "server-only";
import { StreamAfterSchema, WaitQuerySchema } from "@/lib/contracts/run-call-api";
import { json, parseInput } from "../http";
import { queryOf } from "./http";
import { checkWaitSeconds, runUrls, waitForRun } from "./run-wait";
import { runEventStream, wantsEventStream } from "./run-sse";
import { getRun } from "./service";

interface StartedRun {
  runId: string;
  status: "queued";
  position: number;
}

/**
 * Reads how the caller of POST /api/workflows/:id/runs wants the answer, BEFORE the run starts (a bad
 * `wait` is a 400 and starts nothing), and returns the function that answers once it has started:
 * - `Accept: text/event-stream`: the run's events as SSE from its first event;
 * - `?wait=SECONDS`: 200 with the result when the run stops in time, else 202 (see waitForRun);
 * - neither: 202 { runId, status, position, urls } at once.
 */
export function prepareStartAnswer(request: Request): (started: StartedRun) => Promise<Response> {
  const { wait } = parseInput(WaitQuerySchema, { wait: queryOf(request).wait }, "query");
  const seconds = wait === undefined ? undefined : checkWaitSeconds(wait);
  return async (started) => {
    const headers = { location: `/api/runs/${started.runId}`, "x-aura-run-id": started.runId };
    if (wantsEventStream(request)) return runEventStream(started.runId, -1, { signal: request.signal, headers });
    if (seconds) {
      const { answer } = await waitForRun(started.runId, seconds, request.signal);
      return json(answer, { status: answerStatus(answer.status), headers });
    }
    return json({ ...started, urls: runUrls(started.runId) }, { status: 202, headers });
  };
}

/** 200 once the run stopped; 202 while it goes on (queued, running) or waits for a human. */
export const answerStatus = (status: string) => (status === "succeeded" || status === "failed" || status === "cancelled" ? 200 : 202);

/**
 * GET /api/runs/:id/stream: joins a run as SSE after the `Last-Event-ID` header (what a reconnecting
 * EventSource sends) or `?after=` (header wins), default -1 = from its first event. 404 for an
 * unknown run. A run that already stopped streams its stored events and closes; 204 when the caller
 * already has them all.
 */
export async function streamRun(request: Request, runId: string): Promise<Response> {
  const given = request.headers.get("last-event-id") ?? queryOf(request).after;
  const after = given === undefined || given === "" ? -1 : parseInput(StreamAfterSchema, given, "Last-Event-ID / after");
  const run = await getRun(runId);
  const settled = run.status === "succeeded" || run.status === "failed" || run.status === "cancelled";
  // Nothing will follow: 204 tells an EventSource to stop reconnecting (after it saw the end).
  if (settled && after >= run.lastSeq) return new Response(null, { status: 204, headers: { "x-aura-run-id": runId } });
  return runEventStream(runId, after, { signal: request.signal, storedOnly: settled, headers: { "x-aura-run-id": runId } });
}
