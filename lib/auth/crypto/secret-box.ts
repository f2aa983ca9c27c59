import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for secrets at rest. A sealed value is one ASCII string
 * `v1:<keyId>:<iv b64url>:<tag b64url>:<ciphertext b64url>`: the version says how to read it, the key
 * id says which key sealed it (so keys can rotate: keep the old key under its id until every value is
 * re-sealed). A fresh random 12-byte IV per value; the 16-byte auth tag makes any change to the IV,
 * ciphertext, key id or tag fail to open. Pure: keys come in, nothing is read from the environment.
 */

/** Why a sealed value could not be opened (stable codes; messages never contain secret material). */
export type SecretBoxErrorCode = "SECRET_MALFORMED" | "SECRET_UNKNOWN_KEY" | "SECRET_AUTH_FAILED";

export class SecretBoxError extends Error {
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** One encryption key: 32 bytes and a short id stored with every value it seals. */
export interface SecretKey {
  id: string;
  key: Buffer;
}

const VERSION = "v1";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function checkKey(k: SecretKey): void {
  if (!KEY_ID.test(k.id)) throw new Error(`Key id "${k.id}" must be 1-32 letters, digits, '_' or '-'.`);
  if (k.key.length !== 32) throw new Error(`An AES-256 key is 32 bytes, this one is ${k.key.length}.`);
}

/** Encrypts `plaintext` under `key` (authenticated; the key id is bound in as associated data). */
export function seal(plaintext: string, key: SecretKey): string {
  checkKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}:${key.id}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, key.id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(":");
}

/** The key id a sealed value names (to tell which values still use an old key). */
export function sealedKeyId(sealed: string): string {
  const parts = sealed.split(":");
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError("SECRET_MALFORMED", "The stored secret is not in the v1 format.");
  return parts[1];
}

/**
 * Decrypts a value of `seal` with the key it names among `keys`. Throws SecretBoxError: malformed,
 * sealed under a key that is not given, or tampered with / wrong key (GCM authentication fails).
 */
export function open(sealed: string, keys: readonly SecretKey[]): string {
  const keyId = sealedKeyId(sealed);
  const [, , ivText, tagText, dataText] = sealed.split(":");
  const key = keys.find((k) => k.id === keyId);
  if (!key) throw new SecretBoxError("SECRET_UNKNOWN_KEY", `The secret was sealed with key "${keyId}", which this server does not have.`);
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== 12 || tag.length !== 16) throw new SecretBoxError("SECRET_MALFORMED", "The stored secret has a bad IV or tag length.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv);
    decipher.setAAD(Buffer.from(`${VERSION}:${keyId}`));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(dataText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError(
      "SECRET_AUTH_FAILED",
      `The stored secret does not decrypt with key "${keyId}": it was changed, or the key is not the one it was sealed with.`,
    );
  }
}

/**
 * Reads a 32-byte key from text: 64 hex digits or base64 / base64url of 32 bytes. Anything else throws
 * with what was expected (the server refuses to start on it).
 */
export function parseKeyText(text: string, source: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(t)) {
    const bytes = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (bytes.length === 32) return bytes;
  }
  throw new Error(
    `${source} must be 32 bytes written as 64 hex digits or as base64 (44 characters); it is ${t.length} characters that are neither. ` +
      `Make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
  );
}
