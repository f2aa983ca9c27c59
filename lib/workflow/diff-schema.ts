import { z } from "zod";

/**
 * The shape of a diff between two workflow documents, as diffWorkflows (./diff.ts) returns it. It lives beside the
 * document (not in lib/contracts) because lib/workflow computes it; lib/contracts/diff-api.ts wraps it in the
 * GET /api/workflows/:id/diff response.
 */

/** One changed field: `field` is a dotted path ("label", "position", "config.prompt", "policy.retry", "pins.agent"). */
export const FieldChangeSchema = z.object({
  field: z.string(),
  /** Absent when the field did not exist before. */
  before: z.unknown().optional(),
  /** Absent when the field no longer exists. */
  after: z.unknown().optional(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

/** A node as it is in one of the two documents (the older one for removed nodes). */
export const DiffNodeRefSchema = z.object({ id: z.string(), kind: z.string(), label: z.string() });
export const DiffNodeChangeSchema = DiffNodeRefSchema.extend({
  /** Only the position changed: drawn "moved" rather than "changed" (same amber, different words). */
  movedOnly: z.boolean(),
  changes: z.array(FieldChangeSchema).min(1),
});
export type DiffNodeRef = z.infer<typeof DiffNodeRefSchema>;
export type DiffNodeChange = z.infer<typeof DiffNodeChangeSchema>;

export const DiffEdgeRefSchema = z.object({ id: z.string(), source: z.string(), target: z.string() });
export const DiffEdgeChangeSchema = DiffEdgeRefSchema.extend({ changes: z.array(FieldChangeSchema).min(1) });
export type DiffEdgeRef = z.infer<typeof DiffEdgeRefSchema>;
export type DiffEdgeChange = z.infer<typeof DiffEdgeChangeSchema>;

export const DiffNoteChangeSchema = z.object({ id: z.string(), changes: z.array(FieldChangeSchema).min(1) });

export const WorkflowDiffSchema = z.object({
  nodes: z.object({ added: z.array(DiffNodeRefSchema), removed: z.array(DiffNodeRefSchema), changed: z.array(DiffNodeChangeSchema) }),
  edges: z.object({ added: z.array(DiffEdgeRefSchema), removed: z.array(DiffEdgeRefSchema), changed: z.array(DiffEdgeChangeSchema) }),
  notes: z.object({ added: z.array(z.object({ id: z.string() })), removed: z.array(z.object({ id: z.string() })), changed: z.array(DiffNoteChangeSchema) }),
  /** `settings.*` fields (run timeout, concurrency, state fields). */
  settings: z.array(FieldChangeSchema),
  /** Document-level fields: name, description, meta, and any top-level field this build does not know (e.g. `pins.<nodeId>`). */
  document: z.array(FieldChangeSchema),
  /** True when the two documents are the same in every field the diff looks at. */
  identical: z.boolean(),
});
export type WorkflowDiff = z.infer<typeof WorkflowDiffSchema>;
