// No "server-only": the run worker imports this too.
import type { EngineErrorCode } from "../../engine/errors";

/**
 * Codes of run failures that the server's run machinery reports itself (the engine's own codes are
 * EngineErrorCode): the closed set a run's `errorCode` is drawn from, together with the engine's.
 */
export const RunErrorCode = {
  /** The worker thread running the run died; resuming continues from the last checkpoint. */
  WORKER_CRASHED: "WORKER_CRASHED",
  /** The worker could not execute the run outside the engine (checkpointer, unexpected throw). */
  WORKER_ERROR: "WORKER_ERROR",
  /** The run failed without saying why (an outcome with no error). */
  RUN_FAILED: "RUN_FAILED",
} as const;
export type RunErrorCode = (typeof RunErrorCode)[keyof typeof RunErrorCode];

/** Any code a failed run can carry. */
export type RunFailureCode = EngineErrorCode | RunErrorCode;

/** Codes of failed worker → main-thread requests (memory and sub-workflow lookups). */
export type RpcErrorCode = Extract<EngineErrorCode, "MEMORY_ERROR" | "SUB_WORKFLOW_LOAD_FAILED" | "CREDENTIAL_UNAVAILABLE" | "NODE_ERROR">;
