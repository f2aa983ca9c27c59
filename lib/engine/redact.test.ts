import { describe, expect, it } from "vitest";
import { MASK, SecretSet } from "./redact";

describe("SecretSet", () => {
  it("masks every occurrence in nested strings, arrays and keys", () => {
    const s = new SecretSet();
    s.add("sk-live-123456");
    const value = { a: "Bearer sk-live-123456", b: ["x sk-live-123456 y sk-live-123456"], "sk-live-123456": 1, n: 5, ok: null };
    expect(s.redact(value)).toEqual({ a: `Bearer ${MASK}`, b: [`x ${MASK} y ${MASK}`], [MASK]: 1, n: 5, ok: null });
  });

  it("returns the same object when nothing matches, and everything when empty", () => {
    const s = new SecretSet();
    const value = { a: "hello", b: [1, 2] };
    expect(s.redact(value)).toBe(value);
    s.add("secret-value");
    expect(s.redact(value)).toBe(value);
  });

  it("masks the longer of two overlapping secrets whole and skips secrets too short to mask", () => {
    const s = new SecretSet();
    s.add("abcd", "abcd-efgh-ijkl", "xy");
    expect(s.size).toBe(2);
    expect(s.redactText("abcd-efgh-ijkl and abcd and xy")).toBe(`${MASK} and ${MASK} and xy`);
  });
});
