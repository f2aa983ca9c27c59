import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, parseKeyText, seal, sealedKeyId, SecretBoxError, type SecretKey } from "./secret-box";

const key = (id = "k1"): SecretKey => ({ id, key: randomBytes(32) });

function flip(sealed: string, part: number): string {
  const parts = sealed.split(":");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[0] ^= 1;
  parts[part] = bytes.toString("base64url");
  return parts.join(":");
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof SecretBoxError ? e.code : `not a SecretBoxError: ${String(e)}`;
  }
  return "no error";
};

describe("secret box (AES-256-GCM)", () => {
  it("round-trips text, including unicode and the empty string", () => {
    const k = key();
    for (const text of ["sk-test-1234567890", "päss wörd ✓", ""]) expect(open(seal(text, k), [k])).toBe(text);
  });

  it("uses a fresh IV per value and never contains the plaintext", () => {
    const k = key();
    const a = seal("same secret value", k);
    const b = seal("same secret value", k);
    expect(a).not.toBe(b);
    expect(a.split(":")[2]).not.toBe(b.split(":")[2]);
    expect(a).not.toContain("same secret value");
    expect(sealedKeyId(a)).toBe("k1");
  });

  it("refuses a tampered ciphertext, IV or tag", () => {
    const k = key();
    const sealed = seal("sk-abcdef", k);
    expect(codeOf(() => open(flip(sealed, 4), [k]))).toBe("SECRET_AUTH_FAILED");
    expect(codeOf(() => open(flip(sealed, 2), [k]))).toBe("SECRET_AUTH_FAILED");
    expect(codeOf(() => open(flip(sealed, 3), [k]))).toBe("SECRET_AUTH_FAILED");
  });

  it("refuses the wrong key, a relabelled key id and an unknown key id", () => {
    const k = key("k1");
    const sealed = seal("sk-abcdef", k);
    expect(codeOf(() => open(sealed, [{ id: "k1", key: randomBytes(32) }]))).toBe("SECRET_AUTH_FAILED");
    // The key id is authenticated: moving a value to another key's id does not open it.
    const k2 = { id: "k2", key: k.key };
    expect(codeOf(() => open(sealed.replace(":k1:", ":k2:"), [k2]))).toBe("SECRET_AUTH_FAILED");
    expect(codeOf(() => open(sealed, [key("other")]))).toBe("SECRET_UNKNOWN_KEY");
  });

  it("opens values of an old key after rotation when the old key is still given", () => {
    const old = key("2026a");
    const next = key("2026b");
    const sealed = seal("rotating", old);
    expect(open(sealed, [next, old])).toBe("rotating");
  });

  it("refuses malformed values", () => {
    const k = key();
    for (const bad of ["", "plain", "v2:k1:a:b:c", "v1:k1:AAAA:AAAA:AAAA"]) expect(codeOf(() => open(bad, [k]))).toBe("SECRET_MALFORMED");
  });

  it("reads keys as 64 hex digits or base64 / base64url, and refuses anything else", () => {
    const raw = randomBytes(32);
    expect(parseKeyText(raw.toString("hex"), "KEY").equals(raw)).toBe(true);
    expect(parseKeyText(raw.toString("base64"), "KEY").equals(raw)).toBe(true);
    expect(parseKeyText(` ${raw.toString("base64url")}\n`, "KEY").equals(raw)).toBe(true);
    for (const bad of ["", "short", randomBytes(16).toString("hex"), randomBytes(31).toString("base64"), "z".repeat(64)])
      expect(() => parseKeyText(bad, "AURA_ENCRYPTION_KEY")).toThrow(/AURA_ENCRYPTION_KEY must be 32 bytes/);
  });
});
