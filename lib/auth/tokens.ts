import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Database } from "@/lib/db/client";
import * as accounts from "@/lib/db/accounts";
import { TOKEN_MIN_LENGTH, type Role } from "@/lib/contracts";
import { lowerRole, parseRole } from "./roles";

/** API tokens are "aura_" + 256 random bits; a fast hash is right for random secrets of that size. */
export const TOKEN_PREFIX = "aura_";
export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");
export const newSecret = (prefix: string): string => prefix + randomBytes(32).toString("base64url");
const displayPrefix = (token: string) => token.slice(0, 12);

export interface TokenIdentity {
  tokenId: string;
  userId: string;
  email: string;
  name: string;
  workspaceId: string;
  /** The token's role, lowered to the user's current role in the workspace. */
  role: Role;
}

// Verified tokens are remembered briefly so an API client does not cost two queries per call; a
// revoked token or a removed member stops working within this time in every process.
const VERIFIED_TTL_MS = 5_000;
// One cache per database: a token string means nothing outside the database that issued it.
const verifiedByDb = new WeakMap<Database, LRUCache<string, TokenIdentity | "invalid">>();
// Every cache made in this process, for forgetVerifiedTokens (a WeakMap cannot be listed).
const caches = new Set<WeakRef<LRUCache<string, TokenIdentity | "invalid">>>();
const verifiedIn = (db: Database) => {
  let cache = verifiedByDb.get(db);
  if (!cache) {
    cache = new LRUCache<string, TokenIdentity | "invalid">({ max: 5_000, ttl: VERIFIED_TTL_MS });
    verifiedByDb.set(db, cache);
    caches.add(new WeakRef(cache));
  }
  return cache;
};
// lastUsedAt is written at most once a minute per token: a busy client must not turn reads into writes.
const touched = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });

/** Forgets every cached verification (after a revoke, a role change or a member removal in this process). */
export function forgetVerifiedTokens(): void {
  for (const ref of caches) {
    const cache = ref.deref();
    if (cache) cache.clear();
    else caches.delete(ref);
  }
}

/** The identity behind a bearer token, or null when it is unknown, expired or its user left the workspace. */
export async function verifyToken(db: Database, token: string): Promise<TokenIdentity | null> {
  if (!token.startsWith(TOKEN_PREFIX) && token.length < TOKEN_MIN_LENGTH) return null;
  const hash = hashSecret(token);
  const verified = verifiedIn(db);
  const cached = verified.get(hash);
  if (cached) return cached === "invalid" ? null : cached;
  const row = await accounts.findApiTokenByHash(db, hash);
  const membership = row && (!row.expiresAt || row.expiresAt > new Date()) ? await accounts.findMembership(db, row.workspaceId, row.userId) : null;
  const user = membership ? await accounts.findUser(db, row!.userId) : null;
  if (!row || !membership || !user) {
    verified.set(hash, "invalid");
    return null;
  }
  const identity: TokenIdentity = {
    tokenId: row.id,
    userId: row.userId,
    email: user.email,
    name: user.name,
    workspaceId: row.workspaceId,
    role: lowerRole(parseRole(row.role), parseRole(membership.role)),
  };
  verified.set(hash, identity);
  if (!touched.has(row.id)) {
    touched.set(row.id, true);
    void accounts.touchApiToken(db, row.id, new Date()).catch(() => {});
  }
  return identity;
}

/** Creates a token (a new random one, or `secret` for the bootstrap token); returns the row and the secret. */
export async function issueToken(
  db: Database,
  input: { userId: string; workspaceId: string; role: Role; name: string; expiresAt?: Date | null; secret?: string },
) {
  const secret = input.secret ?? newSecret(TOKEN_PREFIX);
  const row = await accounts.createApiToken(db, {
    id: `tok_${randomBytes(9).toString("base64url")}`,
    userId: input.userId,
    workspaceId: input.workspaceId,
    role: input.role,
    name: input.name,
    prefix: displayPrefix(secret),
    tokenHash: hashSecret(secret),
    expiresAt: input.expiresAt ?? null,
  });
  return { row, secret };
}
