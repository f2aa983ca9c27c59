import { z } from "zod";
import type { RunEvent } from "./events";

/**
 * The Socket.IO wire protocol between the browser and the server, shared by both sides.
 * Pure zod and types, no Node imports: the browser bundle imports it.
 *
 * Flow: the client emits `run:subscribe` { runId, afterSeq } and gets an ack; from then on the server
 * sends `run:events` messages, each carrying events of ONE run in sequence order, every seq after
 * `afterSeq` exactly once. After a reconnect the client subscribes again from the last seq it saw.
 * `workflow:subscribe` delivers new events of every run of a workflow (live only, no replay).
 */

/** Socket.IO path of the realtime endpoint (same HTTP server as Next.js). */
export const REALTIME_PATH = "/socket.io";

/** The workspace every socket belongs to until access control assigns real ones. */
export const DEFAULT_WORKSPACE_ID = "ws_default";

const id = z.string().min(1).max(200);

/** `afterSeq`: deliver events with seq > afterSeq; -1 means "from the very first event". */
export const RunSubscribeSchema = z.object({ runId: id, afterSeq: z.number().int().min(-1).default(-1) });
export const RunUnsubscribeSchema = z.object({ runId: id });
export const WorkflowSubscribeSchema = z.object({ workflowId: id });
export const WorkflowUnsubscribeSchema = z.object({ workflowId: id });

export type RunSubscribe = z.input<typeof RunSubscribeSchema>;
export type RunUnsubscribe = z.infer<typeof RunUnsubscribeSchema>;
export type WorkflowSubscribe = z.infer<typeof WorkflowSubscribeSchema>;
export type WorkflowUnsubscribe = z.infer<typeof WorkflowUnsubscribeSchema>;

/** Stable error codes of subscription acks. */
export const RealtimeErrorCodeSchema = z.enum([
  /** The payload did not match the schema; the message says which field. */
  "BAD_REQUEST",
  /** No run with this id (yet): check the id, or subscribe after the run was created. */
  "RUN_NOT_FOUND",
  "WORKFLOW_NOT_FOUND",
  /** The run or workflow belongs to another workspace than this connection. */
  "FORBIDDEN",
  /** Too many subscriptions on one connection: unsubscribe from runs you no longer show. */
  "TOO_MANY_SUBSCRIPTIONS",
  /** The event store failed; retry later. */
  "INTERNAL",
]);
export type RealtimeErrorCode = z.infer<typeof RealtimeErrorCodeSchema>;

export interface RealtimeError {
  code: RealtimeErrorCode;
  message: string;
}

/** Answer to every client→server request. */
export type RealtimeAck = { ok: true } | { ok: false; error: RealtimeError };

/** One delivery: events of one run, ascending and contiguous in seq. */
export interface RunEventsMessage {
  runId: string;
  /** The run's workflow, when the server knows it (always for workflow subscriptions). */
  workflowId?: string;
  events: RunEvent[];
}

export interface ClientToServerEvents {
  "run:subscribe": (payload: RunSubscribe, ack: (res: RealtimeAck) => void) => void;
  "run:unsubscribe": (payload: RunUnsubscribe, ack?: (res: RealtimeAck) => void) => void;
  "workflow:subscribe": (payload: WorkflowSubscribe, ack: (res: RealtimeAck) => void) => void;
  "workflow:unsubscribe": (payload: WorkflowUnsubscribe, ack?: (res: RealtimeAck) => void) => void;
  /** Run status changes of the whole workspace (workspace-feed.ts): dashboards. */
  "workspace:subscribe": (payload: Record<string, never>, ack: (res: RealtimeAck) => void) => void;
  "workspace:unsubscribe": (payload: Record<string, never>, ack?: (res: RealtimeAck) => void) => void;
}

export interface ServerToClientEvents {
  "run:events": (message: RunEventsMessage) => void;
  "workspace:runs": (message: import("./workspace-feed-protocol").WorkspaceRunsMessage) => void;
}

/**
 * Between server processes (only with a multi-node adapter such as @socket.io/redis-adapter):
 * a process that published events forwards them so every process can deliver to its own sockets.
 */
export interface InterServerEvents {
  "aura:run-events": (events: RunEvent[]) => void;
}

/** Per-socket data set by the connection middleware. */
export interface RealtimeSocketData {
  workspaceId: string;
}

/** Builds a failed ack. */
export function realtimeError(code: RealtimeErrorCode, message: string): RealtimeAck {
  return { ok: false, error: { code, message } };
}

/** Describes the first zod issue as "field: problem" for an ack message. */
export function describeZodError(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "Invalid payload";
  const path = issue.path.length ? issue.path.join(".") : "payload";
  return `${path}: ${issue.message}`;
}
