/**
 * The Run dialog's input, as the text of each field: what it opens with (the last input run from this
 * browser, else the Start fields' examples) and how that text becomes a typed run input.
 */
import type { StartField } from "@/lib/workflow";

export type RunInputText = Record<string, string>;

/** Where the dialog's first values came from (shown to the user, so sample data is never a surprise). */
export type RunInputSource = "last" | "examples" | "empty";

/** A field's example as the dialog edits it (JSON pretty-printed), or undefined when it has none. */
export function exampleText(field: StartField): string | undefined {
  if (field.example === undefined) return undefined;
  if (field.type === "json") return JSON.stringify(field.example, null, 2);
  return typeof field.example === "string" ? field.example : JSON.stringify(field.example);
}

/** Every field's example text (fields without one are left out). */
export function examplesText(fields: readonly StartField[]): RunInputText {
  const out: RunInputText = {};
  for (const f of fields) {
    const t = exampleText(f);
    if (t !== undefined) out[f.name] = t;
  }
  return out;
}

/**
 * The text the dialog opens with: per field, the last input used for this workflow, else the field's
 * example. Fields added since the last run get their example; removed ones are dropped.
 */
export function initialRunText(fields: readonly StartField[], last: RunInputText | null): { text: RunInputText; source: RunInputSource } {
  const examples = examplesText(fields);
  const text: RunInputText = {};
  let fromLast = false;
  for (const f of fields) {
    const previous = last?.[f.name];
    if (typeof previous === "string") {
      text[f.name] = previous;
      fromLast = true;
    } else if (examples[f.name] !== undefined) text[f.name] = examples[f.name];
  }
  return { text, source: fromLast ? "last" : Object.keys(examples).length ? "examples" : "empty" };
}

/** Text of each field → typed input, with a message per invalid field. */
export function parseRunInput(fields: readonly StartField[], text: RunInputText): { input: Record<string, unknown>; errors: Record<string, string> } {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = text[f.name] ?? (f.type === "boolean" ? "false" : "");
    if (f.type === "boolean") {
      input[f.name] = raw === "true";
      continue;
    }
    if (raw.trim() === "") {
      if (f.required) errors[f.name] = "Required.";
      continue;
    }
    if (f.type === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n)) errors[f.name] = "Enter a number.";
      else input[f.name] = n;
    } else if (f.type === "json") {
      try {
        input[f.name] = JSON.parse(raw);
      } catch (e) {
        errors[f.name] = `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
      }
    } else input[f.name] = raw;
  }
  return { input, errors };
}
