import { z } from "zod";

/** The schema version this build of Aura Studio writes. Older documents are migrated on read. */
export const CURRENT_SCHEMA_VERSION = 2;

/** Ids are short, URL- and JSON-path-safe strings; they are how edges, runs and topology refer to nodes. */
export const IdSchema = z
  .string()
  .min(1, "id must not be empty")
  .max(128, "id must be at most 128 characters")
  .regex(/^[A-Za-z0-9_.:-]+$/, "id may contain only letters, digits, '_', '.', ':' and '-'");

export const PositionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

/** How a node is retried when it fails (used by the engine; drawn and validated by the designer). */
export const RetryPolicySchema = z.object({
  maxAttempts: z.number().int().min(1).max(20).default(1),
  initialDelayMs: z.number().int().min(0).max(600_000).default(500),
  backoffFactor: z.number().min(1).max(10).default(2),
  /**
   * Error codes (or code prefixes such as `HTTP_5`) or message fragments to retry on; empty means the
   * failures that may pass on a retry: timeouts, rate limits, 5xx and network errors.
   */
  retryOn: z.array(z.string().max(200)).max(50).default([]),
});

export const NodePolicySchema = z.object({
  retry: RetryPolicySchema.optional(),
  timeoutMs: z.number().int().min(1).max(86_400_000).optional(),
  /** "route" adds an `error` output whose branch runs as compensation (saga); "fail" ends the run. */
  onError: z.enum(["fail", "route"]).default("fail"),
});

export const WorkflowNodeSchema = z.object({
  id: IdSchema,
  kind: z.string().min(1).max(64),
  label: z.string().max(200),
  position: PositionSchema,
  config: z.record(z.string(), z.unknown()).default({}),
  policy: NodePolicySchema.optional(),
});

export const WorkflowEdgeSchema = z.object({
  id: IdSchema,
  source: IdSchema,
  target: IdSchema,
  /** Output port of the source node; omitted means the kind's default output. */
  sourceHandle: z.string().max(128).nullish(),
  /** Input port of the target node; omitted means the kind's default input. */
  targetHandle: z.string().max(128).nullish(),
  label: z.string().max(200).optional(),
});

export const StickyNoteSchema = z.object({
  id: IdSchema,
  text: z.string().max(10_000),
  position: PositionSchema,
  width: z.number().min(40).max(4000).default(220),
  height: z.number().min(40).max(4000).default(140),
  color: z.enum(["yellow", "blue", "green", "pink", "gray"]).default("yellow"),
});

export const StateFieldSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "state field names must be identifiers")
    .max(64),
  type: z.enum(["string", "number", "boolean", "json", "list"]).default("json"),
  /** How writes from parallel branches combine: keep the last one, append to a list, or merge objects. */
  reducer: z.enum(["replace", "append", "merge"]).default("replace"),
  description: z.string().max(500).optional(),
});

/**
 * Per-workflow retention, over the server's defaults (AURA_RETENTION_*): each field left out keeps the
 * server's value. Days count from when a run finished; active runs are never removed.
 */
export const RetentionSettingsSchema = z.object({
  /** Days a succeeded or cancelled run is kept. */
  days: z.number().int().min(1).max(3650).optional(),
  /** At most this many stopped runs of the workflow are kept (newest first). */
  maxRuns: z.number().int().min(1).max(10_000_000).optional(),
  /** Days a failed run (dead letter or not) is kept. */
  failedDays: z.number().int().min(1).max(3650).optional(),
});

export const WorkflowSettingsSchema = z.object({
  runTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(600_000),
  maxConcurrentRuns: z.number().int().min(1).max(1000).default(10),
  stateFields: z.array(StateFieldSchema).max(200).default([]),
  /** Optional: overrides of the server's retention for this workflow's runs. */
  retention: RetentionSettingsSchema.optional(),
  /**
   * true: one checkpoint after every node, so time travel can fork after any of them. Default: a straight
   * run of pure steps (Start, Set fields, JavaScript, Template, JSON extract, Output) shares one checkpoint,
   * equally crash-safe (a crash inside it runs it again from its first step) and several times cheaper.
   */
  checkpointEachStep: z.boolean().optional(),
});

/** The largest pinned output, measured as UTF-8 JSON (parse refuses bigger pins with their path). */
export const PIN_MAX_BYTES = 1024 * 1024;

/**
 * A node's pinned output (n8n's "pinData"): in runs that ask for pinned data (the editor's Run,
 * `usePinnedData: true`, `aura run --pinned`) the node does not execute and writes this instead.
 */
export const NodePinSchema = z.object({
  /** The state fields the node writes, as a run's state.update shows them ("Output (state it wrote)"). */
  output: z.record(z.string(), z.unknown()),
  /** The output port to continue on (routing nodes; pinned from a run it is the port that run took). Omitted: the default port. */
  port: z.string().min(1).max(128).optional(),
  /** ISO 8601 time of pinning. */
  pinnedAt: z.string().max(64),
  /** The run the output was taken from, if it was pinned from a run rather than typed. */
  fromRunId: z.string().max(200).optional(),
});

export const WorkflowDocumentSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  /** The workflow's id, present in exports so an import can keep it (a new id is chosen if it is taken). */
  id: IdSchema.optional(),
  name: z.string().trim().min(1, "name must not be empty").max(200),
  description: z.string().max(5000).default(""),
  nodes: z.array(WorkflowNodeSchema),
  edges: z.array(WorkflowEdgeSchema).default([]),
  notes: z.array(StickyNoteSchema).default([]),
  settings: WorkflowSettingsSchema.default(() => WorkflowSettingsSchema.parse({})),
  meta: z.record(z.string(), z.unknown()).default({}),
  /** Pinned outputs by node id (schemaVersion 2). */
  pins: z.record(IdSchema, NodePinSchema).default({}),
});

export type WorkflowDocument = z.infer<typeof WorkflowDocumentSchema>;
export type WorkflowDocumentInput = z.input<typeof WorkflowDocumentSchema>;
export type WorkflowNode = z.infer<typeof WorkflowNodeSchema>;
export type WorkflowEdge = z.infer<typeof WorkflowEdgeSchema>;
export type StickyNote = z.infer<typeof StickyNoteSchema>;
export type NodePin = z.infer<typeof NodePinSchema>;
export type WorkflowSettings = z.infer<typeof WorkflowSettingsSchema>;
export type RetentionSettings = z.infer<typeof RetentionSettingsSchema>;
export type StateField = z.infer<typeof StateFieldSchema>;
export type NodePolicy = z.infer<typeof NodePolicySchema>;
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;
export type Position = z.infer<typeof PositionSchema>;

/** Limits enforced on import and save (the API answers 413 above them). */
export const LIMITS = { maxNodes: 5000, maxEdges: 20_000, maxBodyBytes: 5 * 1024 * 1024 } as const;

/** A new empty document with one Start and one Output node, ready to edit. */
export function createEmptyWorkflow(name: string): WorkflowDocument {
  return WorkflowDocumentSchema.parse({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    name,
    nodes: [
      {
        id: "start",
        kind: "start",
        label: "Start",
        position: { x: 0, y: 0 },
        config: { fields: [{ name: "input", type: "string", required: true, description: "" }] },
      },
      // Output's config field is `value` (a template); the catalog test checks these match each kind's schema.
      // Empty: the run result is what the step before Output produced. Output sits to the right of
      // Start (handles are left/right), so the first edge is straight, not an S-loop.
      { id: "output", kind: "output", label: "Output", position: { x: 320, y: 0 }, config: { value: "" } },
    ],
    edges: [{ id: "e-start-output", source: "start", target: "output" }],
  });
}
