import { FORBIDDEN_NAMES as FORBIDDEN } from "../workflow";

/**
 * Paths and templates over the run state, shared by every node kind.
 * - `getPath(state, "a.b[0].c")` reads a value; a key that exists as a whole (e.g. a node id with a
 *   dot) wins over splitting.
 * - `renderTemplate("Hi {{user.name}}: {{json items}}", state)` renders text: strings go in as they
 *   are, other values as JSON, missing values as "". `{{json path}}` always embeds JSON.
 */

/** Splits `a.b[0]["c d"]` into ["a", "b", 0, "c d"]. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[["']([^"']*)["']\]/g;
  for (const m of path
    .trim()
    .replace(/^\$\.?/, "")
    .matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3]);
  }
  return out;
}

/** Reads one own property (never the prototype chain). */
export function getOwn(value: unknown, key: string | number): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof key === "string" && FORBIDDEN.has(key)) return undefined;
  if (typeof value === "string") return key === "length" ? value.length : typeof key === "number" ? value[key] : undefined;
  if (typeof value !== "object") return undefined;
  if (Array.isArray(value) && key === "length") return value.length;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string | number, unknown>)[key] : undefined;
}

/** The value at `path` in `state`, or undefined. */
export function getPath(state: Record<string, unknown>, path: string): unknown {
  const trimmed = path.trim();
  if (Object.prototype.hasOwnProperty.call(state, trimmed)) return state[trimmed];
  let value: unknown = state;
  for (const seg of parsePath(trimmed)) {
    value = getOwn(value, seg);
    if (value === undefined) return undefined;
  }
  return value;
}

/** Text form of a value inside a template. */
export function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

const PLACEHOLDER = /\{\{\s*(json\s+)?([^{}]+?)\s*\}\}/g;

/** Renders `{{path}}` and `{{json path}}` placeholders. */
export function renderTemplate(template: string, state: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_, json: string | undefined, path: string) => {
    const value = getPath(state, path);
    return json ? (value === undefined ? "null" : JSON.stringify(value)) : stringify(value);
  });
}

/**
 * Like renderTemplate, but a template that is exactly one placeholder yields the value itself
 * (so `{{json execution}}` or `{{items}}` keep their type).
 */
export function renderValue(template: string, state: Record<string, unknown>): unknown {
  const m = /^\s*\{\{\s*(json\s+)?([^{}]+?)\s*\}\}\s*$/.exec(template);
  if (m) {
    const value = getPath(state, m[2]);
    return value === undefined ? (m[1] ? null : "") : value;
  }
  return renderTemplate(template, state);
}

/** Top-level state names a template refers to (for tool argument schemas). */
export function templateFields(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) {
    const first = parsePath(m[2])[0];
    if (typeof first === "string") names.add(first);
  }
  return [...names];
}
