import "server-only";
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import type { Database } from "@/lib/db/client";
import * as accounts from "@/lib/db/accounts";
import { findWorkspace } from "@/lib/db/workspaces";
import type { CreateInvitationBodySchema, Invitation, UseLinkBodySchema } from "@/lib/contracts";
import { getAuth } from "./better-auth";
import { forgetMemberships, isSecureRequest, type Caller } from "./caller";
import { AuthError, AuthErrorCode } from "./errors";
import { revokeAccess } from "./members";
import { parseRole } from "./roles";
import { setPasswordOf } from "./session";
import { hashSecret, newSecret } from "./tokens";

// One-time links: an invitation to join a workspace, or an access reset (set a new password). The
// secret is in the link only; the database keeps its SHA-256, so a database leak opens no door.
const LINK_PREFIX = "al_";
const RESET_HOURS = 24;

const linkId = () => `lnk_${randomBytes(9).toString("base64url")}`;

/** Creates an invitation to the caller's workspace; the path with the secret is returned once. */
export async function createInvitation(db: Database, caller: Caller, body: z.infer<typeof CreateInvitationBodySchema>) {
  if (body.role === "admin" && caller.role !== "owner" && caller.role !== "admin")
    throw new AuthError(AuthErrorCode.FORBIDDEN, "Only admins can invite admins.");
  const secret = newSecret(LINK_PREFIX);
  const expiresAt = new Date(Date.now() + body.expiresInHours * 3_600_000);
  const row = await accounts.createAccessLink(db, {
    id: linkId(),
    kind: "invite",
    tokenHash: hashSecret(secret),
    workspaceId: caller.workspaceId,
    role: body.role,
    email: body.email ?? null,
    createdById: caller.userId,
    expiresAt,
  });
  return { id: row.id, path: `/invite/${secret}`, expiresAt: expiresAt.toISOString() };
}

export async function listInvitations(db: Database, caller: Caller): Promise<Invitation[]> {
  const rows = await accounts.listOpenInvitations(db, caller.workspaceId);
  return rows.map((r) => ({
    id: r.id,
    role: parseRole(r.role ?? "viewer"),
    email: r.email,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function revokeInvitation(db: Database, caller: Caller, id: string): Promise<void> {
  const { count } = await accounts.deleteAccessLink(db, caller.workspaceId, id);
  if (count === 0) throw new AuthError(AuthErrorCode.NOT_FOUND, `No open invitation "${id}" in this workspace.`);
}

/** Ends a member's sessions and tokens and returns a one-time link for them to set a new password. */
export async function resetAccess(db: Database, caller: Caller, userId: string) {
  const { email } = await revokeAccess(db, caller, userId);
  await accounts.deleteResetLinksOfUser(db, caller.workspaceId, userId);
  const secret = newSecret(LINK_PREFIX);
  const expiresAt = new Date(Date.now() + RESET_HOURS * 3_600_000);
  const row = await accounts.createAccessLink(db, {
    id: linkId(),
    kind: "reset",
    tokenHash: hashSecret(secret),
    workspaceId: caller.workspaceId,
    email,
    userId,
    createdById: caller.userId,
    expiresAt,
  });
  return { id: row.id, path: `/reset/${secret}`, expiresAt: expiresAt.toISOString() };
}

/** The open link behind a secret; expired, used or unknown links all answer "expired" (no oracle). */
async function openLink(db: Database, secret: string) {
  const row = secret.startsWith(LINK_PREFIX) && secret.length < 100 ? await accounts.findAccessLinkByHash(db, hashSecret(secret)) : null;
  if (!row || row.usedAt || row.expiresAt <= new Date()) {
    throw new AuthError(AuthErrorCode.LINK_EXPIRED, "This link is not valid any more (it expired, was used, or was withdrawn). Ask an admin for a new one.");
  }
  return row;
}

/** What a link does, for its page. */
export async function describeLink(db: Database, secret: string) {
  const row = await openLink(db, secret);
  const ws = await findWorkspace(db, row.workspaceId);
  return {
    kind: row.kind === "reset" ? ("reset" as const) : ("invite" as const),
    workspaceName: ws?.name ?? "",
    role: row.role ? parseRole(row.role) : null,
    email: row.email,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/**
 * Uses a link. Invite: a signed-in caller joins with the link's role; otherwise a new account is
 * created from email, name and password (and signed in). Reset: sets the member's new password.
 * Returns Set-Cookie headers when a session was created.
 */
export async function useLink(db: Database, secret: string, body: z.infer<typeof UseLinkBodySchema>, headers: Headers, caller: Caller | null) {
  const row = await openLink(db, secret);
  if (row.kind === "reset") {
    if (!body.password) throw new AuthError(AuthErrorCode.FORBIDDEN, "Choose a new password.");
    if (!(await accounts.markAccessLinkUsed(db, row.id))) throw new AuthError(AuthErrorCode.LINK_EXPIRED, "This link was just used.");
    await setPasswordOf(db, row.userId!, body.password);
    return { kind: "reset" as const, userId: row.userId!, workspaceId: row.workspaceId, headers: new Headers() };
  }
  const role = row.role ?? "viewer";
  if (caller) {
    if (!(await accounts.markAccessLinkUsed(db, row.id))) throw new AuthError(AuthErrorCode.LINK_EXPIRED, "This link was just used.");
    const existing = await accounts.findMembership(db, row.workspaceId, caller.userId);
    if (!existing) await accounts.upsertMembership(db, row.workspaceId, caller.userId, role);
    forgetMemberships(caller.userId);
    return { kind: "invite" as const, userId: caller.userId, workspaceId: row.workspaceId, headers: new Headers() };
  }
  if (!body.email || !body.password) throw new AuthError(AuthErrorCode.FORBIDDEN, "Enter your email and choose a password to create your account.");
  if (await accounts.findUserByEmail(db, body.email)) {
    throw new AuthError(AuthErrorCode.FORBIDDEN, "An account with this email exists. Sign in first, then open the invitation link again.");
  }
  if (!(await accounts.markAccessLinkUsed(db, row.id))) throw new AuthError(AuthErrorCode.LINK_EXPIRED, "This link was just used.");
  const auth = await getAuth(db, isSecureRequest(headers));
  const result = await auth.api.signUpEmail({
    body: { email: body.email, password: body.password, name: body.name ?? body.email.split("@")[0] },
    headers,
    returnHeaders: true,
  });
  await accounts.upsertMembership(db, row.workspaceId, result.response.user.id, role);
  return { kind: "invite" as const, userId: result.response.user.id, workspaceId: row.workspaceId, headers: result.headers };
}
