import "server-only";
import type { z } from "zod";
import type { Database } from "@/lib/db/client";
import * as accounts from "@/lib/db/accounts";
import type { ApiTokenView, CreateTokenBodySchema } from "@/lib/contracts";
import type { Caller } from "./caller";
import { AuthError, AuthErrorCode } from "./errors";
import { parseRole, roleAtLeast } from "./roles";
import { forgetVerifiedTokens, issueToken } from "./tokens";

type TokenRow = Awaited<ReturnType<typeof accounts.listApiTokens>>[number];

const view = (r: TokenRow): ApiTokenView => ({
  id: r.id,
  name: r.name,
  role: parseRole(r.role),
  prefix: r.prefix,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  expiresAt: r.expiresAt?.toISOString() ?? null,
});

/** The caller's own tokens for the current workspace (never the secrets: only their first characters). */
export async function listTokens(db: Database, caller: Caller): Promise<ApiTokenView[]> {
  return (await accounts.listApiTokens(db, caller.workspaceId, caller.userId)).map(view);
}

/** Creates a token for the caller in the current workspace, with a role no higher than theirs. */
export async function createToken(db: Database, caller: Caller, body: z.infer<typeof CreateTokenBodySchema>) {
  const role = body.role ?? caller.role;
  if (!roleAtLeast(caller.role, role))
    throw new AuthError(AuthErrorCode.FORBIDDEN, `Your role is ${caller.role}; a token cannot have a higher role (${role}).`);
  const expiresAt = body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null;
  const { row, secret } = await issueToken(db, { userId: caller.userId, workspaceId: caller.workspaceId, role, name: body.name, expiresAt });
  return { ...view(row), token: secret };
}

/** Revokes one of the caller's tokens at once (every process stops accepting it within seconds). */
export async function revokeToken(db: Database, caller: Caller, id: string): Promise<void> {
  const count = await accounts.deleteApiToken(db, caller.workspaceId, caller.userId, id);
  if (count === 0) throw new AuthError(AuthErrorCode.NOT_FOUND, `You have no token "${id}" in this workspace.`);
  forgetVerifiedTokens();
}
