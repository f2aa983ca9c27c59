import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, openSync, readFileSync, statSync, writeSync, closeSync } from "node:fs";
import path from "node:path";
import { resolveDatabaseConfig } from "@/lib/db/config";
import { parseKeyText, type SecretKey } from "./secret-box";

/** The file the generated key lives in, inside the data folder. */
export const KEY_FILE_NAME = "encryption.key";

/**
 * The data folder: AURA_DATA_DIR, else the folder of the SQLite file, else ./data (PostgreSQL keeps
 * no files of its own, but the key still needs a home).
 */
export function dataDir(env: Record<string, string | undefined> = process.env): string {
  if (env.AURA_DATA_DIR?.trim()) return path.resolve(env.AURA_DATA_DIR.trim());
  const db = resolveDatabaseConfig(env.DATABASE_URL);
  return db.file ? path.dirname(db.file) : path.resolve("data");
}

/** A key's id: derived from the key itself, so a value sealed under another key says so instead of failing authentication. */
export const keyIdOf = (key: Buffer) => `k${createHash("sha256").update(key).digest("hex").slice(0, 10)}`;

function readKeyFile(file: string): Buffer {
  const mode = statSync(file).mode & 0o777;
  // Like ssh with a private key: a key others can read is refused, not used.
  if (mode & 0o077) throw new Error(`${file} is readable by others (mode ${mode.toString(8)}); run \`chmod 600 ${file}\` and start again.`);
  return parseKeyText(readFileSync(file, "utf8"), file);
}

/** Writes a new random key with mode 0600, unless another process got there first (then reads that one). */
function createKeyFile(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readKeyFile(file);
    throw error;
  }
  try {
    writeSync(fd, `${key.toString("base64")}\n`);
  } finally {
    closeSync(fd);
  }
  chmodSync(file, 0o600); // the umask may have narrowed it further, never widened: make it exact
  console.warn(
    JSON.stringify({
      level: "warn",
      msg: "generated a new credential encryption key: back this file up; without it saved credentials cannot be decrypted",
      file,
    }),
  );
  return key;
}

/**
 * The key that seals credentials: AURA_ENCRYPTION_KEY (32 bytes as base64 or hex), else
 * `<data folder>/encryption.key`, created with mode 0600 at first start. Throws a message that says
 * how to fix it on a malformed variable or a key file others can read (the server refuses to start).
 */
export function loadEncryptionKey(env: Record<string, string | undefined> = process.env): SecretKey & { source: string } {
  const fromEnv = env.AURA_ENCRYPTION_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    const key = parseKeyText(fromEnv, "AURA_ENCRYPTION_KEY");
    return { id: keyIdOf(key), key, source: "AURA_ENCRYPTION_KEY" };
  }
  const file = path.join(dataDir(env), KEY_FILE_NAME);
  let key: Buffer;
  try {
    key = readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    key = createKeyFile(file);
  }
  return { id: keyIdOf(key), key, source: file };
}

let cached: SecretKey | undefined;

/** The process's key (loaded once; every bundle that loads it reads the same variable or file). */
export function encryptionKey(): SecretKey {
  if (!cached) {
    const { id, key } = loadEncryptionKey();
    cached = { id, key };
  }
  return cached;
}
