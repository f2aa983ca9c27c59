import type { WorkflowNode } from "@/lib/workflow/schema";

/**
 * Config fields whose whole text is an expression, code or a state path (not a template), so every
 * identifier in them may name a state field.
 */
export const EXPRESSION_FIELDS: ReadonlySet<string> = new Set(["condition", "code", "source", "itemsFrom", "from"]);

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const PLACEHOLDER = /\{\{([^}]*)\}\}/g;

/**
 * State fields a node writes: a Start node its input fields; a Human approval its id and the fields
 * the reviewer may edit; every other node its Output key, or its id when the key is empty (the
 * catalog's convention).
 */
export function keysWritten(node: WorkflowNode): Set<string> {
  const c = node.config;
  if (node.kind === "start") {
    const fields = Array.isArray(c.fields) ? c.fields : [];
    return new Set(
      fields.map((f) => (f && typeof f === "object" && typeof (f as { name?: unknown }).name === "string" ? (f as { name: string }).name : "")).filter(Boolean),
    );
  }
  if (node.kind === "human-approval") {
    const editable = Array.isArray(c.editableFields) ? c.editableFields.filter((x): x is string => typeof x === "string") : [];
    return new Set([node.id, ...editable]);
  }
  return new Set([typeof c.outputKey === "string" && c.outputKey ? c.outputKey : node.id]);
}

/**
 * Identifiers a node's config may read, over-approximated so that a dependency is never missed:
 * every identifier inside a `{{ … }}` placeholder of any string in the config (nested objects and
 * arrays included), and every identifier anywhere in an expression field (`EXPRESSION_FIELDS`: a
 * router condition, JavaScript code, a JSON-extract source, a Parallel map's list, …). So `{{json
 * a.b}}` reads `json`, `a` and `b`; code `return state.total * 2` reads `return`, `state`, `total`.
 */
export function keysRead(node: WorkflowNode): Set<string> {
  const out = new Set<string>();
  const visit = (value: unknown, field: string) => {
    if (typeof value === "string") {
      if (EXPRESSION_FIELDS.has(field)) for (const m of value.matchAll(IDENTIFIER)) out.add(m[0]);
      else if (value.includes("{{")) for (const p of value.matchAll(PLACEHOLDER)) for (const m of p[1].matchAll(IDENTIFIER)) out.add(m[0]);
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, field);
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  visit(node.config, "");
  return out;
}
