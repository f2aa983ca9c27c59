import { z } from "zod";
import { WorkflowDocumentSchema } from "@/lib/workflow";

/**
 * Request and response shapes of the workflow HTTP API, shared by the route handlers (which check
 * input with them) and the browser (which types responses with them).
 */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
    currentVersion: z.number().int().optional(),
    /** 409 CREDENTIAL_IN_USE: the workflows whose current version refers to the credential. */
    workflows: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const WorkflowSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  version: z.number().int(),
  nodeCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Status of the latest run; null until runs exist. */
  lastRunStatus: z.string().nullable(),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummarySchema>;

export const WorkflowDetailSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  document: WorkflowDocumentSchema,
});
export type WorkflowDetail = z.infer<typeof WorkflowDetailSchema>;

export const VersionSummarySchema = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  name: z.string(),
  nodeCount: z.number().int(),
  /** Why the version exists: "save", "create", "import", "restore:3", "rename". */
  reason: z.string(),
});
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

/** POST /api/workflows: a new workflow, empty (name only) or from a document (templates, duplicates). */
export const CreateWorkflowBodySchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  document: z.unknown().optional(),
});

/**
 * PUT /api/workflows/:id: save a new version. `baseVersion` is the version the editor started from;
 * if the workflow moved on since, the save is refused with 409 unless `force` is set.
 * A body with only `name` renames (and also creates a version).
 */
export const UpdateWorkflowBodySchema = z.union([
  z.object({ baseVersion: z.number().int().min(1), document: z.unknown(), force: z.boolean().optional() }),
  z.object({ name: z.string().trim().min(1).max(200) }),
]);

export const ListWorkflowsResponseSchema = z.object({ workflows: z.array(WorkflowSummarySchema) });
export const ListVersionsResponseSchema = z.object({ versions: z.array(VersionSummarySchema) });
export { WorkflowDocumentSchema };
