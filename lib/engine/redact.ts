/** What a masked secret reads as. */
export const MASK = "••••";

/**
 * Secrets shorter than this are not masked: replacing every "ab" in a run's output would wreck it
 * while protecting nothing worth protecting. Real keys and tokens are far longer.
 */
export const MIN_MASKED_LENGTH = 4;

/**
 * A set of secret values to mask. `add` ignores too-short values; `redact` returns a copy of a JSON
 * value (strings, arrays, plain objects, keys included) with every occurrence of every secret
 * replaced by MASK, or the value itself when nothing matched (no copy on the hot path).
 */
export class SecretSet {
  private values: string[] = [];

  add(...secrets: string[]): void {
    for (const s of secrets) if (s.length >= MIN_MASKED_LENGTH && !this.values.includes(s)) this.values.push(s);
    // Longest first, so a secret that contains another is masked whole.
    this.values.sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.values.length;
  }

  redactText(text: string): string {
    let out = text;
    for (const s of this.values) if (out.includes(s)) out = out.split(s).join(MASK);
    return out;
  }

  redact<T>(value: T): T {
    return this.values.length ? (this.walk(value) as T) : value;
  }

  private walk(value: unknown): unknown {
    if (typeof value === "string") return this.redactText(value);
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((v) => {
        const r = this.walk(v);
        if (r !== v) changed = true;
        return r;
      });
      return changed ? out : value;
    }
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const rk = this.redactText(k);
        const rv = this.walk(v);
        if (rk !== k || rv !== v) changed = true;
        out[rk] = rv;
      }
      return changed ? out : value;
    }
    return value;
  }
}
