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
/** Who tried a step of an Agent with an Escalate policy: the agent itself, its supervisor agent, a human. */
export const EscalationLevelSchema = z.enum(["agent", "supervisor", "human"]);
/** Where an escalating Agent's confidence comes from (the policy's declared check). */
export const ConfidenceSourceSchema = z.enum(["field", "judge", "expression"]);

/** One model level's try, as the human reviewer sees it. */
export const EscalationTrySchema = z.object({
  level: z.enum(["agent", "supervisor"]),
  model: z.string().optional(),
  /** The level's answer (cut to 4000 characters); absent when it failed. */
  answer: z.string().optional(),
  /** 0..1; null when the check found none (no JSON field, an unreadable judge reply). */
  confidence: z.number().min(0).max(1).nullable(),
  error: EventErrorSchema.optional(),
  /** Why the step went on to the next level. */
  reason: z.string(),
});

/** The evidence a human level gets: the question, each level's answer and confidence, why it escalated. */
export const EscalationEvidenceSchema = z.object({
  question: z.string(),
  threshold: z.number().min(0).max(1),
  source: ConfidenceSourceSchema,
  tries: z.array(EscalationTrySchema),
  /** The answer that stands if the reviewer approves without editing (the last level's). */
  proposedAnswer: z.string(),
  /** Tokens and cost of the levels before (counted on the node when the decision settles it). */
  tokens: TokenUsageSchema.optional(),
  costUsd: z.number().min(0).optional(),
});

/** A level of an escalating Agent finished: what it answered, how sure it was, and what happened next. */
export const NodeEscalationEventSchema = z.object({
  ...nodeBase,
  type: z.literal("node.escalation"),
  level: EscalationLevelSchema,
  /** accepted: its answer stands; escalated: handed to `to`; exhausted: no level left (the answer stands or the node fails); approved / rejected: the human's decision. */
  outcome: z.enum(["accepted", "escalated", "exhausted", "approved", "rejected"]),
  to: EscalationLevelSchema.optional(),
  model: z.string().optional(),
  confidence: z.number().min(0).max(1).nullable().optional(),
  threshold: z.number().min(0).max(1),
  source: ConfidenceSourceSchema,
  reason: z.string().optional(),
  error: EventErrorSchema.optional(),
  /** The level's answer, cut to 2000 characters. */
  answer: z.string().optional(),
});
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
  /** Set when an Agent's Escalate policy handed the step to a human: what the levels before found. */
  escalation: EscalationEvidenceSchema.optional(),
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
/**
 * A Parallel map in adaptive concurrency mode changed how many items it runs at a time (AIMD: +1 per
 * window of fast successes, × 0.5 on a failure or a latency well above its baseline). The first one
 * (`reason: "start"`) gives the starting limit and the bounds.
 */
export const NodeConcurrencyEventSchema = z.object({
  ...nodeBase,
  type: z.literal("node.concurrency"),
  concurrency: z.number().int().min(1),
  previous: z.number().int().min(0),
  reason: z.enum(["start", "increase", "decrease-failure", "decrease-latency"]),
  min: z.number().int().min(1),
  max: z.number().int().min(1),
  /** Items finished so far in this map execution. */
  completed: z.number().int().min(0),
  /** The latency of the item that caused the change, and the baseline it was compared with (ms). */
  latencyMs: z.number().min(0).optional(),
  baselineMs: z.number().min(0).optional(),
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
  NodeEscalationEventSchema,
  StateUpdateEventSchema,
  NodeThrottledEventSchema,
  TopologyUpdateEventSchema,
  NodeConcurrencyEventSchema,
]);

export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent["type"];
export type EventError = z.infer<typeof EventErrorSchema>;
export type TokenUsage = z.infer<typeof TokenUsageSchema>;
export type EscalationEvidence = z.infer<typeof EscalationEvidenceSchema>;
export type EscalationTry = z.infer<typeof EscalationTrySchema>;

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
