import type { NodeConfigOf, WorkflowDocument } from "../../workflow";
import { EngineError, EngineErrorCode } from "../errors";
import type { ExecutorFor } from "./types";

/** What input checking needs of a Start field (its description is for people). */
type StartField = Pick<NodeConfigOf<"start">["fields"][number], "name" | "type" | "required">;

export interface InputProblem {
  field: string;
  message: string;
}

/**
 * Checks run input against the Start node's fields and coerces form-style values ("42" for a number,
 * "true" for a boolean). Returns the values to write and every problem found.
 */
export function checkInput(fields: readonly StartField[], input: Record<string, unknown>): { values: Record<string, unknown>; problems: InputProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: InputProblem[] = [];
  for (const f of fields) {
    let v = input[f.name];
    if (v === undefined || v === null || v === "") {
      if (f.required) problems.push({ field: f.name, message: `"${f.name}" is required.` });
      continue;
    }
    if (f.type === "number") {
      if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) v = Number(v);
      if (typeof v !== "number" || !Number.isFinite(v)) problems.push({ field: f.name, message: `"${f.name}" must be a number.` });
    } else if (f.type === "boolean") {
      if (v === "true" || v === "false") v = v === "true";
      if (typeof v !== "boolean") problems.push({ field: f.name, message: `"${f.name}" must be true or false.` });
    } else if (f.type === "string") {
      if (typeof v === "number" || typeof v === "boolean") v = String(v);
      if (typeof v !== "string") problems.push({ field: f.name, message: `"${f.name}" must be text.` });
    }
    values[f.name] = v;
  }
  return { values, problems };
}

/** The Start node's fields (empty when the document has no Start). */
export function startFields(doc: WorkflowDocument): StartField[] {
  const start = doc.nodes.find((n) => n.kind === "start");
  const fields = start?.config.fields;
  return Array.isArray(fields)
    ? fields.map((f: Record<string, unknown>) => ({ name: String(f.name), type: (f.type as StartField["type"]) ?? "string", required: f.required !== false }))
    : [];
}

/** Checks run input before a run starts: the problems, each with its field. */
export function checkRunInput(doc: WorkflowDocument, input: unknown): InputProblem[] {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return [{ field: "", message: "Run input must be a JSON object." }];
  return checkInput(startFields(doc), input as Record<string, unknown>).problems;
}

/** Start: checks the run input against its fields and writes the (coerced) values to the state. */
export const start: ExecutorFor<"start"> = () => (ctx) => {
  const { values, problems } = checkInput(ctx.config.fields, ctx.state);
  if (problems.length) throw new EngineError(EngineErrorCode.INPUT_INVALID, problems.map((p) => p.message).join(" "));
  return { writes: values };
};
