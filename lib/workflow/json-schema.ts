import { z } from "zod";
import { WorkflowDocumentSchema } from "./schema";

/** JSON Schema (draft 2020-12) of the workflow document, generated from the zod schema. */
export function workflowJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(WorkflowDocumentSchema, { io: "input", target: "draft-2020-12" }),
    $id: "https://aura.studio/schema/workflow.json",
    title: "Aura Studio workflow document",
  };
}

/** JSON Schema of one kind's config, for the inspector's generated form. */
export function configJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
}
