import "server-only";
import { open } from "@/lib/auth/crypto/secret-box";
import { encryptionKey } from "@/lib/auth/crypto/encryption-key";
import type { ResolvedCredential } from "@/lib/engine";
import type { Database } from "@/lib/db/client";
import { findCredential } from "@/lib/db/credentials";
import { configOf } from "./view";

/**
 * A credential of the workspace, decrypted, for the engine node that uses it (the run worker asks
 * for it through its RPC when the node runs). Null when the workspace has no such credential; a
 * secret that does not decrypt throws a SecretBoxError (its message names the key id, not the secret).
 */
export async function resolveCredential(db: Database, workspaceId: string, id: string): Promise<ResolvedCredential | null> {
  const row = await findCredential(db, workspaceId, id);
  if (!row) return null;
  const secret = open(row.secret, [encryptionKey()]);
  const config = configOf(row);
  switch (config.type) {
    case "openai":
    case "anthropic":
      return { type: config.type, name: row.name, apiKey: secret, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) };
    case "http-bearer":
      return { type: "http-bearer", name: row.name, token: secret };
    case "http-basic":
      return { type: "http-basic", name: row.name, username: config.username, password: secret };
    case "http-header":
      return { type: "http-header", name: row.name, headerName: config.headerName, value: secret };
  }
}
