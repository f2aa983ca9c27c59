import { z } from "zod";

/**
 * The run event wire protocol: ONE discriminated union (on `type`) shared by the engine, the server
 * (which persists events in order with a per-run `seq` before publishing them) and the browser.
 * Pure zod, no Node imports, so the browser can import it.
 */

export const EventErrorSchema = z.object({
  /** Stable code, e.g. NODE_TIMEOUT, HTTP_HOST_NOT_ALLOWED, INPUT_INVALID. */
  code: z.string(),
  message: z.string(),
});

export const TokenUsageSchema = z.object({
  input: z.number().int().min(0),
  output: z.number().int().min(0),
});

const base = {
  runId: z.string(),
  /** Per-run sequence number, assigned when the event is persisted (the engine yields events without it). */
  seq: z.number().int().min(0),
  /** Milliseconds since the epoch. */
  ts: z.number(),
};

/** Where a node event happened: inside sub-workflow nodes (`scope`, outermost first) and/or a Parallel map item. */
const nodeBase = {
  ...base,
  nodeId: z.string(),
  kind: z.string(),
  scope: z.array(z.string()).optional(),
  itemIndex: z.number().int().min(0).optional(),
  /** Set when a tool node ran because an Agent called it. */
  calledBy: z.string().optional(),
};

export const RunQueuedEventSchema = z.object({
  ...base,
  type: z.literal("run.queued"),
  position: z.number().int().min(0).optional(),
  /** Pinned nodes use their pinned output instead of executing (the editor's Run, `usePinnedData: true`). Recorded here so a resumed run keeps it. */
  usePinnedData: z.boolean().optional(),
});
export const RunStartedEventSchema = z.object({
  ...base,
  type: z.literal("run.started"),
  workflowName: z.string(),
  /** True when the run continues from a checkpoint (after a crash, a failure or an approval). */
  resumed: z.boolean(),
  input: z.unknown().optional(),
});
export const RunFinishedEventSchema = z.object({
  ...base,
  type: z.literal("run.finished"),
  result: z.unknown(),
  /** The node whose result an Output with an empty value returned (the step before the Output). */
  resultFrom: z.string().optional(),
  durationMs: z.number().min(0),
  tokens: TokenUsageSchema,
  costUsd: z.number().min(0),
});
export const RunFailedEventSchema = z.object({
  ...base,
  type: z.literal("run.failed"),
  error: EventErrorSchema,
  nodeId: z.string().optional(),
  durationMs: z.number().min(0),
});
export const RunCancelledEventSchema = z.object({ ...base, type: z.literal("run.cancelled"), reason: z.string().optional(), durationMs: z.number().min(0) });

export const NodeStartedEventSchema = z.object({
  ...nodeBase,
  type: z.literal("node.started"),
  attempt: z.number().int().min(1),
  /** The node did not execute: its pinned output (document `pins`) stood in for it. */
  pinned: z.boolean().optional(),
});
export const NodeFinishedEventSchema = z.object({
  ...nodeBase,
  type: z.literal("node.finished"),
  attempt: z.number().int().min(1),
  durationMs: z.number().min(0),
  /** The output port the run continued on (router route, approved/rejected, …). */
  port: z.string().optional(),
  tokens: TokenUsageSchema.optional(),
  costUsd: z.number().min(0).optional(),
  model: z.string().optional(),
  /** Kind-specific facts worth showing, e.g. why a model router chose its model. */
  detail: z.record(z.string(), z.unknown()).optional(),
  /** The node did not execute: its pinned output (document `pins`) stood in for it. */
  pinned: z.boolean().optional(),
});
export const NodeFailedEventSchema = z.object({
  ...nodeBase,
  type: z.literal("node.failed"),
  attempt: z.number().int().min(1),
  durationMs: z.number().min(0),
  error: EventErrorSchema,
  /** True when the node's `error` output took over (compensation branch) instead of failing the run. */
  handled: z.boolean(),
});
export const NodeRetryingEventSchema = z.object({
  ...nodeBase,
  type: z.literal("node.retrying"),
  /** The attempt that failed. */
  attempt: z.number().int().min(1),
  nextAttempt: z.number().int().min(2),
  delayMs: z.number().min(0),
  error: EventErrorSchema,
});
export const NodeSkippedEventSchema = z.object({ ...nodeBase, type: z.literal("node.skipped"), reason: z.string(), by: z.string().optional() });
export const NodeWaitingEventSchema = z.object({
  ...nodeBase,
  type: z.literal("node.waiting"),
  /** LangGraph interrupt id; answer with the node id (or this id when several approvals wait). */
  interruptId: z.string().optional(),
  instructions: z.string(),
  editableFields: z.array(z.string()),
  values: z.record(z.string(), z.unknown()),
  /** 0: wait forever; otherwise the server rejects the approval after this long. */
  timeoutMs: z.number().int().min(0),
});
/** A node's call waits for its provider's rate limit (`waiting`), or its turn came (`admitted`, with the time it waited: queue wait in the topology stats). */
export const NodeThrottledEventSchema = z.object({
  ...nodeBase,
  type: z.literal("node.throttled"),
  /** The provider or host key, e.g. `model:openai`. */
  provider: z.string(),
  phase: z.enum(["waiting", "admitted"]),
  /** Waiting: which limit (requests or tokens per minute), the place in line and a rough estimate. */
  limit: z.enum(["requests", "tokens"]).optional(),
  position: z.number().int().min(1).optional(),
  etaMs: z.number().min(0).optional(),
  /** Admitted: how long the call waited. */
  waitedMs: z.number().min(0).optional(),
});
export const TokenEventSchema = z.object({
  ...nodeBase,
  type: z.literal("token"),
  text: z.string(),
  model: z.string(),
});
export const StateUpdateEventSchema = z.object({
  ...base,
  type: z.literal("state.update"),
  nodeId: z.string(),
  /** The state fields the node wrote (after the node finished). */
  values: z.record(z.string(), z.unknown()),
});
export const TopologyUpdateEventSchema = z.object({ ...base, type: z.literal("topology.update"), payload: z.unknown() });

export const RunEventSchema = z.discriminatedUnion("type", [
  RunQueuedEventSchema,
  RunStartedEventSchema,
  RunFinishedEventSchema,
  RunFailedEventSchema,
  RunCancelledEventSchema,
  NodeStartedEventSchema,
  NodeFinishedEventSchema,
  NodeFailedEventSchema,
  NodeRetryingEventSchema,
  NodeSkippedEventSchema,
  NodeWaitingEventSchema,
  TokenEventSchema,
  StateUpdateEventSchema,
  NodeThrottledEventSchema,
  TopologyUpdateEventSchema,
]);

export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent["type"];
export type EventError = z.infer<typeof EventErrorSchema>;
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A run event before the server gave it a sequence number: what the engine yields. */
export type EngineEvent = DistributiveOmit<RunEvent, "seq">;
/** The event of one type, e.g. `RunEventOf<"node.finished">`. */
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
export type EngineEventOf<T extends RunEventType> = Extract<EngineEvent, { type: T }>;

/** Event types after which a run stops executing (until it is resumed). */
export const TERMINAL_EVENT_TYPES = ["run.finished", "run.failed", "run.cancelled"] as const satisfies readonly RunEventType[];

/** Attaches the per-run sequence number (what the server does when it persists an engine event). */
export function withSeq(event: EngineEvent, seq: number): RunEvent {
  return { ...event, seq };
}
