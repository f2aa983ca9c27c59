import type { RunEvent } from "./events";

/**
 * The workspace feed (browser-safe types): after `workspace:subscribe`, a socket receives
 * `workspace:runs` messages with the status changes of every run of its workspace: a run queued,
 * started, waiting for an approval, finished, failed or cancelled. Live only (no replay): a client
 * that reconnects refetches its list over HTTP, then applies the changes that follow.
 */

export type RunChangeStatus = "queued" | "running" | "waiting" | "succeeded" | "failed" | "cancelled";

export interface RunChange {
  runId: string;
  workflowId: string;
  /** The event that changed the status. */
  type: RunEvent["type"];
  status: RunChangeStatus;
  seq: number;
  ts: number;
  durationMs?: number;
  error?: { code: string; message: string; nodeId?: string };
  tokens?: { input: number; output: number };
  costUsd?: number;
  /** node.waiting: the node that waits for an approval. */
  nodeId?: string;
}

export interface WorkspaceRunsMessage {
  workspaceId: string;
  /** In publish order; per run ascending by seq. */
  changes: RunChange[];
}

export const workspaceRoom = (workspaceId: string) => `workspace:${workspaceId}`;

/** The status change an event means, or null for events that do not change a run's status. */
export function toRunChange(e: RunEvent, workflowId: string): RunChange | null {
  const base = { runId: e.runId, workflowId, type: e.type, seq: e.seq, ts: e.ts };
  switch (e.type) {
    case "run.queued":
      return { ...base, status: "queued" };
    case "run.started":
      return { ...base, status: "running" };
    case "node.waiting":
      return { ...base, status: "waiting", nodeId: e.nodeId };
    case "run.finished":
      return { ...base, status: "succeeded", durationMs: e.durationMs, tokens: e.tokens, costUsd: e.costUsd };
    case "run.failed":
      return {
        ...base,
        status: "failed",
        durationMs: e.durationMs,
        error: { code: e.error.code, message: e.error.message, ...(e.nodeId ? { nodeId: e.nodeId } : {}) },
      };
    case "run.cancelled":
      return { ...base, status: "cancelled", durationMs: e.durationMs };
    default:
      return null;
  }
}
