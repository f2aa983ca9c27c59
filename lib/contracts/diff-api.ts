import { z } from "zod";
import { WorkflowDiffSchema } from "@/lib/workflow";

/** GET /api/workflows/:id/diff?from=N&to=M: `to` defaults to the current (newest) version. */
export const DiffQuerySchema = z.object({
  from: z
    .string({ error: "from is required: the version to compare from (?from=1&to=2)" })
    .regex(/^[1-9]\d{0,8}$/, "from must be a version number (1, 2, …)")
    .transform(Number),
  to: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, "to must be a version number (1, 2, …)")
    .transform(Number)
    .optional(),
});

export const DiffResponseSchema = z.object({ workflowId: z.string(), from: z.number().int(), to: z.number().int(), diff: WorkflowDiffSchema });
export type DiffResponse = z.infer<typeof DiffResponseSchema>;
