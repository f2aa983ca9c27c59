import "server-only";
import type { Database } from "@/lib/db/client";
import * as runsRepo from "@/lib/db/runs";
import type { EngineEvent } from "@/lib/contracts/events";
import type { ActiveRun } from "./active-run";
import type { JobOutcome } from "./protocol";
import { RunErrorCode } from "./run-error-codes";

/** The event that records why a run stopped when the engine never said so itself (compile error, busy thread, worker crash). */
export function stopEvent(a: ActiveRun, outcome: JobOutcome, now: number): EngineEvent | null {
  if (a.sawTerminal || outcome.status === "waiting") return null;
  return outcome.status === "cancelled"
    ? { type: "run.cancelled", runId: a.runId, ts: now, durationMs: 0 }
    : {
        type: "run.failed",
        runId: a.runId,
        ts: now,
        durationMs: 0,
        error: { code: outcome.error?.code ?? RunErrorCode.RUN_FAILED, message: outcome.error?.message ?? "The run failed." },
      };
}

/** The Run row's new fields for an outcome: status, the engine's start and end, the totals; the lease dropped. */
export function settledRow(a: ActiveRun, outcome: JobOutcome, now: number): runsRepo.RunUpdate {
  // The row's times are the engine's, so the dashboard's latency and the run view's duration agree;
  // claiming the run set a provisional startedAt.
  const end = new Date(a.endedTs ?? now);
  // Every outcome drops the lease and records the totals (a failed or cancelled run spent them too).
  const common = {
    ...(a.startedTs ? { startedAt: new Date(a.startedTs) } : {}),
    leaseOwner: null,
    leaseExpiresAt: null,
    pendingDecision: null,
    tokensInput: a.used.input,
    tokensOutput: a.used.output,
    costUsd: Math.round(a.used.costUsd * 1e6) / 1e6,
  };
  switch (outcome.status) {
    case "succeeded":
      return {
        ...common,
        status: "succeeded",
        result: outcome.result ?? null,
        finishedAt: end,
        errorCode: null,
        errorMessage: null,
        failedNodeId: null,
        waitingFor: null,
      };
    case "waiting":
      return { ...common, status: "waiting", waitingFor: a.waiting };
    case "cancelled":
      return { ...common, status: "cancelled", finishedAt: end, waitingFor: null };
    default:
      return {
        ...common,
        status: "failed",
        finishedAt: end,
        errorCode: outcome.error?.code ?? RunErrorCode.RUN_FAILED,
        errorMessage: outcome.error?.message ?? "The run failed.",
        failedNodeId: outcome.error?.nodeId ?? null,
        waitingFor: null,
      };
  }
}

/**
 * Writes the outcome to the Run row, only while it is still "running" (a cancel from elsewhere wins);
 * `flush` stores the run's events first. A row another process already cancelled still loses our lease.
 */
export async function settleRun(db: Database, a: ActiveRun, outcome: JobOutcome, owner: string, flush: () => Promise<void>, now: () => number): Promise<void> {
  await flush();
  const stop = stopEvent(a, outcome, now());
  if (stop) {
    a.pending.push(stop);
    await flush();
  }
  const settled = await runsRepo.updateRun(db, a.runId, settledRow(a, outcome, now()), ["running"]);
  if (!settled) await runsRepo.releaseLease(db, a.runId, owner);
}
