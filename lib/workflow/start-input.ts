import { StartFieldSchema, type StartField } from "./catalog";
import type { WorkflowDocument } from "./schema";

/**
 * The Start node's input fields, each read with the Start field schema (defaults filled in). Fields
 * that do not parse are left out: validation reports them, and a workflow with errors cannot run.
 */
export function startFieldsOf(doc: WorkflowDocument): StartField[] {
  const fields = doc.nodes.find((n) => n.kind === "start")?.config.fields;
  if (!Array.isArray(fields)) return [];
  return fields.flatMap((f) => {
    const parsed = StartFieldSchema.safeParse(f);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * A run input made of the fields' examples. `missing` names the required fields that have no example
 * (such an input would be refused); optional fields without an example are simply left out.
 */
export function exampleInput(fields: readonly StartField[]): { input: Record<string, unknown>; missing: string[] } {
  const input: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const f of fields) {
    if (f.example !== undefined) input[f.name] = f.example;
    else if (f.required) missing.push(f.name);
  }
  return { input, missing };
}
