// The `detail` of an audit entry: a small JSON object of specifics. Pure, so it is tested on its own.

/** Longest detail text stored; larger details are cut down to their first keys (an audit row stays small). */
export const MAX_DETAIL_CHARS = 2000;
const MAX_STRING = 300;
const MAX_DEPTH = 3;
const MAX_KEYS = 30;

// Keys whose values are secrets whatever the caller meant: their value is never stored.
const SECRET_KEY = /secret|password|passwd|token|api[-_]?key|authorization|cookie|credential[-_]?value|private/i;

function clean(value: unknown, depth: number): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (depth >= MAX_DEPTH) return "[nested]";
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => clean(v, depth + 1));
  if (typeof value === "object") {
    // A null-prototype object: a "__proto__" key stays a plain key, never a prototype.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_KEYS)) {
      out[k] = SECRET_KEY.test(k) ? "[redacted]" : clean(v, depth + 1);
    }
    return out;
  }
  return undefined; // functions, symbols, bigint: not audit material
}

/**
 * The detail as stored: secret-looking keys redacted, strings cut at 300 characters, at most 3 levels
 * and 30 keys, and the whole text at most MAX_DETAIL_CHARS (else `{ truncated: true, keys }`).
 */
export function auditDetailText(detail: Record<string, unknown> | undefined): string {
  if (!detail) return "{}";
  const text = JSON.stringify(clean(detail, 0) ?? {});
  if (text.length <= MAX_DETAIL_CHARS) return text;
  return JSON.stringify({ truncated: true, keys: Object.keys(detail).slice(0, MAX_KEYS) });
}

/** The stored text back as an object; anything unreadable becomes `{ unreadable: true }` (never throws). */
export function parseAuditDetail(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { unreadable: true };
  }
}
