import "server-only";
import type { RunEvent } from "@/lib/contracts/events";
import type { RunUrls, RunWaitAnswer } from "@/lib/contracts/run-call-api";
import { AppError, ErrorCode } from "../errors";
import { followRunEvents } from "./run-watch";
import { getRun } from "./service";

/** The longest a caller may wait for a run (AURA_MAX_WAIT_SECONDS, default 300). */
export function maxWaitSeconds(): number {
  const n = Number(process.env.AURA_MAX_WAIT_SECONDS);
  return Number.isFinite(n) && n > 0 ? n : 300;
}

/** Refuses a wait longer than the server allows (400, before any run starts). */
export function checkWaitSeconds(seconds: number): number {
  const max = maxWaitSeconds();
  if (seconds > max)
    throw new AppError(
      ErrorCode.BAD_REQUEST,
      `wait=${seconds} is longer than this server allows: at most ${max} seconds (AURA_MAX_WAIT_SECONDS). Follow longer runs with GET /api/runs/:id/stream.`,
    );
  return seconds;
}

export const runUrls = (runId: string): RunUrls => ({ run: `/api/runs/${runId}`, events: `/api/runs/${runId}/events`, stream: `/api/runs/${runId}/stream` });

/** A waited-for run's answer plus the top-level Output node that produced the result (for webhook responses). */
export interface RunWaitOutcome {
  answer: RunWaitAnswer;
  outputNodeId: string | null;
}

/**
 * Waits, event-driven, until the run stops (finished, failed, cancelled), waits for a human, or
 * `seconds` pass, or `signal` aborts (the caller went away). Follows the run's events from the start
 * (`afterSeq` -1), so nothing that happened before the call is missed.
 */
export async function waitForRun(runId: string, seconds: number, signal?: AbortSignal, afterSeq = -1): Promise<RunWaitOutcome> {
  // A timer cleared when the wait ends (AbortSignal.timeout would keep every finished wait's signal
  // and listeners alive until its full timeout passed: hundreds under load).
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), Math.round(seconds * 1000));
  const stop = signal ? AbortSignal.any([timeout.signal, signal]) : timeout.signal;
  try {
    return await waitUntil(runId, stop, afterSeq);
  } finally {
    clearTimeout(timer);
  }
}

/** waitForRun's loop: follows the run's events until it stops, waits for a human, or `stop` aborts. */
async function waitUntil(runId: string, stop: AbortSignal, afterSeq: number): Promise<RunWaitOutcome> {
  const urls = runUrls(runId);
  let outputNodeId: string | null = null;
  let waiting: RunEvent[] = [];
  for await (const e of followRunEvents(runId, afterSeq, { signal: stop })) {
    if (e.type === "node.finished" && e.kind === "output" && !e.scope?.length) outputNodeId = e.nodeId;
    // A run resumed after an approval waits no more for what it waited for before.
    if (e.type === "run.started") waiting = [];
    if (e.type === "run.finished") {
      return { outputNodeId, answer: { runId, status: "succeeded", result: e.result, tokens: e.tokens, costUsd: e.costUsd, durationMs: e.durationMs, urls } };
    }
    if (e.type === "run.failed") {
      return {
        outputNodeId,
        answer: {
          runId,
          status: "failed",
          error: { code: e.error.code, message: e.error.message, nodeId: e.nodeId ?? null },
          durationMs: e.durationMs,
          ...(await totals(runId)),
          urls,
        },
      };
    }
    if (e.type === "run.cancelled") return { outputNodeId, answer: { runId, status: "cancelled", durationMs: e.durationMs, ...(await totals(runId)), urls } };
    // node.waiting means the run parks there (as the workspace feed reads it); the row's status
    // follows a moment later. A Parallel map may add more approvals: GET the run for all of them.
    if (e.type === "node.waiting") waiting.push(e);
    if (waiting.length) return { outputNodeId, answer: { runId, status: "waiting_approval", waitingFor: waiting, urls } };
  }
  // Timed out or the caller left: answer with where the run stands.
  const run = await getRun(runId);
  if (run.status === "waiting") return { outputNodeId, answer: { runId, status: "waiting_approval", waitingFor: run.waitingFor, urls } };
  const status = run.status === "queued" || run.status === "running" ? run.status : "running";
  return { outputNodeId, answer: { runId, status, urls } };
}

/** Tokens and cost so far from the Run row (failed and cancelled events do not carry them). */
async function totals(runId: string): Promise<{ tokens: { input: number; output: number }; costUsd: number }> {
  const run = await getRun(runId);
  return { tokens: run.tokens, costUsd: run.costUsd };
}
