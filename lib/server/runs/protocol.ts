// Messages between the main thread (lib/server/runs/manager.ts) and the run workers (run-worker.ts).
// Plain data only (structured clone). No "server-only": the worker imports this.
import type { MemoryService } from "../../engine/memory";
import type { EngineServices } from "../../engine/services";
import type { CredentialService } from "../../engine/credential-types";
import type { ResilienceService } from "../../engine/resilience/service";
import type { EngineEvent } from "../../contracts/events";
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
  /** Top-level nodes the previous segment left open when its process died (see RunHistory.cutOff). */
  cutOff?: { nodeId: string; kind: string; attempt: number; startedTs: number }[];
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

// ── RPC: the engine services a worker asks of the main thread (the only thread with a Prisma client) ──

type LoadWorkflow = NonNullable<EngineServices["loadWorkflow"]>;

/** Per method: the arguments the worker sends and the value the main thread answers with, taken from the engine's service types. */
export interface RpcMethods {
  "memory.store": { args: Parameters<MemoryService["store"]>; value: Awaited<ReturnType<MemoryService["store"]>> };
  "memory.search": { args: Parameters<MemoryService["search"]>; value: Awaited<ReturnType<MemoryService["search"]>> };
  loadWorkflow: { args: Parameters<LoadWorkflow>; value: Awaited<ReturnType<LoadWorkflow>> };
  /** A credential decrypted on the main thread (which holds the key) for the node that uses it. */
  "credentials.resolve": { args: Parameters<CredentialService["resolve"]>; value: Awaited<ReturnType<CredentialService["resolve"]>> };
  /** Circuit breakers and rate limits per provider, kept on the main thread so every worker shares them (lib/engine/resilience). */
  "resilience.admit": { args: Parameters<ResilienceService["admit"]>; value: Awaited<ReturnType<ResilienceService["admit"]>> };
  "resilience.wait": { args: Parameters<ResilienceService["wait"]>; value: Awaited<ReturnType<ResilienceService["wait"]>> };
  "resilience.settle": { args: Parameters<ResilienceService["settle"]>; value: Awaited<ReturnType<ResilienceService["settle"]>> };
}
export type RpcMethod = keyof RpcMethods;

/** A call from a worker: one member per method, so `method` narrows `args`. */
export type RpcRequest = { [M in RpcMethod]: { type: "rpc"; id: number; workspaceId: string; method: M; args: RpcMethods[M]["args"] } }[RpcMethod];

/** The answer to call `id` (a method's value, or an error with a stable code). */
export type RpcResult<M extends RpcMethod = RpcMethod> =
  | { type: "rpc-result"; id: number; ok: true; value: RpcMethods[M]["value"] }
  | { type: "rpc-result"; id: number; ok: false; error: { code: RpcErrorCode; message: string } };

export type ToWorker =
  | { type: "run"; job: RunJob }
  | { type: "cancel"; runId: string; reason: string }
  | RpcResult
  /** Every event the worker sent before persist request `id` is stored. */
  | { type: "persisted"; id: number }
  | { type: "shutdown" };

export type FromWorker =
  | { type: "ready" }
  | { type: "events"; runId: string; events: EngineEvent[] }
  /** Store every event sent before this, then answer "persisted" (a task's writes wait for it: lib/engine/saved-writes.ts). */
  | { type: "persist"; id: number }
  | { type: "done"; runId: string; outcome: JobOutcome }
  | RpcRequest
  | { type: "closed" };
