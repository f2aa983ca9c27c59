import "server-only";
export { startRun, getRun, listEvents, listRuns, cancelRun, resumeRun, retryRun, answerApproval, toSummary, newRunId } from "./service";
export { getRunManager, shutdownRunManager } from "./manager";
export { checkpointTarget, CHECKPOINT_SCHEMA } from "./checkpoint-tables";
export { readOptionalJsonBody, queryOf } from "./http";
export * from "@/lib/contracts/run-api";
