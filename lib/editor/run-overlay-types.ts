/** The run overlay's state types (run-overlay.ts reduces RunEvents into them). */
import type { EventError, TokenUsage } from "@/lib/contracts/events";

export type LiveRunStatus = "idle" | "queued" | "running" | "waiting" | "succeeded" | "failed" | "cancelled";
/** What a node shows; "queued" is derived (run in progress, node not reached yet), never stored. */
export type LiveNodeStatus = "queued" | "running" | "succeeded" | "failed" | "retrying" | "waiting" | "skipped";

export interface ApprovalRequestLive {
  interruptId?: string;
  instructions: string;
  editableFields: string[];
  values: Record<string, unknown>;
  timeoutMs: number;
  /** When the node started waiting (ms since epoch). */
  since: number;
}

export interface NodeLive {
  status: Exclude<LiveNodeStatus, "queued">;
  /** Current (or last) attempt, 1-based. */
  attempt: number;
  /** Executions started (each map item counts). */
  runs: number;
  /** Executions in flight right now (several for map items). */
  active: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Of the last execution that ended. */
  durationMs: number | null;
  port?: string;
  error?: EventError;
  /** The failure went to the node's error output (compensation) instead of failing the run. */
  handled?: boolean;
  nextAttempt?: number;
  retryDelayMs?: number;
  skipReason?: string;
  tokens?: TokenUsage;
  costUsd?: number;
  model?: string;
  /** The state fields the node wrote last. */
  output?: Record<string, unknown>;
  /** The node did not execute: its pinned output stood in for it (last execution). */
  pinned?: boolean;
  waiting?: ApprovalRequestLive;
  /** The node's call waits for its provider's rate limit (node.throttled "waiting"); cleared when its turn comes. */
  throttled?: { provider: string; limit?: "requests" | "tokens"; position?: number; etaMs?: number; since: number };
}

export interface RunOverlay {
  runId: string | null;
  status: LiveRunStatus;
  /** Highest seq applied (-1: none). */
  lastSeq: number;
  /** Events applied, events dropped as already seen, and holes in the seq sequence (should stay 0). */
  applied: number;
  duplicates: number;
  gaps: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  result?: unknown;
  /** The node an Output with an empty value took the result from (the step before it). */
  resultFrom?: string;
  error?: EventError & { nodeId?: string };
  tokens: TokenUsage;
  costUsd: number;
  nodes: ReadonlyMap<string, NodeLive>;
  /** Streamed model text per node (the tail, at most TEXT_LIMIT characters). */
  text: ReadonlyMap<string, string>;
}
