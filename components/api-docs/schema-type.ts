/** A JSON Schema node as the OpenAPI document holds it (only what the reference page reads). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  default?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

/** The component name a `#/components/schemas/X` reference points at. */
export const refName = (ref: string) => ref.split("/").pop() ?? ref;

const MAX = 120;

/**
 * A one-line TypeScript-like summary of a schema: `string`, `"a" | "b"`, `RunSummary[]`,
 * `Record<string, unknown>`, `object`. Named components stay names (the page links them).
 */
export function schemaType(s: JsonSchema | undefined, depth = 0): string {
  if (!s || Object.keys(s).length === 0) return "any";
  if (s.$ref) return refName(s.$ref);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = s.anyOf ?? s.oneOf;
  if (union) return clip(union.map((u) => schemaType(u, depth + 1)).join(" | "));
  if (s.allOf) return clip(s.allOf.map((u) => schemaType(u, depth + 1)).join(" & "));
  const type = Array.isArray(s.type) ? s.type.join(" | ") : s.type;
  if (type === "array") return `${wrap(schemaType(s.items, depth + 1))}[]`;
  if (type === "object") {
    if (s.properties && depth < 1)
      return clip(
        `{ ${Object.entries(s.properties)
          .map(([k, v]) => `${k}${s.required?.includes(k) ? "" : "?"}: ${schemaType(v, depth + 1)}`)
          .join("; ")} }`,
      );
    if (s.properties) return "object";
    if (typeof s.additionalProperties === "object") return `Record<string, ${schemaType(s.additionalProperties, depth + 1)}>`;
    return "object";
  }
  return type ?? "any";
}

const wrap = (t: string) => (t.includes("|") || t.includes("&") ? `(${t})` : t);
const clip = (t: string) => (t.length > MAX ? `${t.slice(0, MAX - 1)}…` : t);
