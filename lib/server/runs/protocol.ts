// Messages between the main thread (lib/server/runs/manager.ts) and the run workers (run-worker.ts).
// Plain data only (structured clone). No "server-only": the worker imports this.
import type { EngineEvent } from "../../realtime/events";
import type { WorkflowDocument } from "../../workflow";
import type { RpcErrorCode, RunFailureCode } from "./run-error-codes";

/** Everything a worker needs to execute (or continue) one run. */
export interface RunJob {
  runId: string;
  threadId: string;
  workspaceId: string;
  doc: WorkflowDocument;
  /** The run input (used only when the thread has no checkpoint yet). */
  input: Record<string, unknown>;
  /** An approval answer to hand to a waiting node (ignored when nothing waits). */
  decision?: { approved: boolean; comment?: string; values?: Record<string, unknown>; nodeId?: string; interruptId?: string };
  /** SQLite file path or PostgreSQL URL: the app's own database. */
  checkpointTarget: string;
  /** PostgreSQL only: the schema of the checkpoint tables. */
  checkpointSchema?: string;
  /** Of the workflow's run timeout, what the run already used (a continued run); default 0. */
  usedMs?: number;
  /** Pinned nodes use their pinned output instead of executing (recorded on the run's run.queued event). */
  usePinnedData?: boolean;
}

export interface JobOutcome {
  status: "succeeded" | "failed" | "cancelled" | "waiting";
  result?: unknown;
  error?: { code: RunFailureCode; message: string; nodeId?: string };
  waitingFor?: { nodeId: string; interruptId: string }[];
  /** How the worker started the thread: fresh, continued from a checkpoint, or answering an approval. */
  mode?: "start" | "continue" | "resume";
}

export type ToWorker =
  | { type: "run"; job: RunJob }
  | { type: "cancel"; runId: string; reason: string }
  | { type: "rpc-result"; id: number; ok: true; value: unknown }
  | { type: "rpc-result"; id: number; ok: false; error: { code: RpcErrorCode; message: string } }
  | { type: "shutdown" };

export type RpcMethod = "memory.store" | "memory.search" | "loadWorkflow";

export type FromWorker =
  | { type: "ready" }
  | { type: "events"; runId: string; events: EngineEvent[] }
  | { type: "done"; runId: string; outcome: JobOutcome }
  | { type: "rpc"; id: number; method: RpcMethod; workspaceId: string; args: unknown[] }
  | { type: "closed" };
