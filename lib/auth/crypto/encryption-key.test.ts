import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KEY_FILE_NAME, keyIdOf, loadEncryptionKey } from "./encryption-key";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "aura-key-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("loadEncryptionKey", () => {
  it("takes AURA_ENCRYPTION_KEY as hex or base64", () => {
    const raw = randomBytes(32);
    expect(loadEncryptionKey({ AURA_ENCRYPTION_KEY: raw.toString("hex") }).key.equals(raw)).toBe(true);
    const k = loadEncryptionKey({ AURA_ENCRYPTION_KEY: raw.toString("base64") });
    expect(k.key.equals(raw)).toBe(true);
    expect(k.id).toBe(keyIdOf(raw));
  });

  it("refuses a malformed AURA_ENCRYPTION_KEY with a clear message", () => {
    expect(() => loadEncryptionKey({ AURA_ENCRYPTION_KEY: "hunter2" })).toThrow(/AURA_ENCRYPTION_KEY must be 32 bytes/);
  });

  it("generates a 0600 key file in the data folder once, then reads the same key", () => {
    const dir = tmp();
    const first = loadEncryptionKey({ AURA_DATA_DIR: dir });
    const file = path.join(dir, KEY_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64").equals(first.key)).toBe(true);
    expect(loadEncryptionKey({ AURA_DATA_DIR: dir }).key.equals(first.key)).toBe(true);
  });

  it("puts the key beside the SQLite file when there is no AURA_DATA_DIR", () => {
    const dir = tmp();
    loadEncryptionKey({ DATABASE_URL: `file:${path.join(dir, "app.db")}` });
    expect(statSync(path.join(dir, KEY_FILE_NAME)).isFile()).toBe(true);
  });

  it("refuses a key file others can read", () => {
    const dir = tmp();
    const file = path.join(dir, KEY_FILE_NAME);
    writeFileSync(file, randomBytes(32).toString("base64"));
    chmodSync(file, 0o644);
    expect(() => loadEncryptionKey({ AURA_DATA_DIR: dir })).toThrow(/chmod 600/);
  });
});
