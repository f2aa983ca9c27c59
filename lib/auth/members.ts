import "server-only";
import type { Database } from "@/lib/db/client";
import * as accounts from "@/lib/db/accounts";
import type { Member, Role } from "@/lib/contracts";
import { forgetMemberships, type Caller } from "./caller";
import { AuthError, AuthErrorCode } from "./errors";
import { parseRole, roleAtLeast, rolesBelow } from "./roles";
import { forgetVerifiedTokens } from "./tokens";

const notFound = (userId: string) => new AuthError(AuthErrorCode.NOT_FOUND, `No member "${userId}" in this workspace.`);

/** The members of the caller's workspace. */
export async function listMembers(db: Database, caller: Caller): Promise<Member[]> {
  const rows = await accounts.listMembers(db, caller.workspaceId);
  return rows.map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: parseRole(m.role), joinedAt: m.createdAt.toISOString() }));
}

/**
 * Loads a member the caller may manage: admins manage editors and viewers (and other admins), only
 * an owner manages owners; the last owner can never be demoted or removed.
 */
async function manageable(db: Database, caller: Caller, userId: string) {
  const target = await accounts.findMembership(db, caller.workspaceId, userId);
  if (!target) throw notFound(userId);
  const role = parseRole(target.role);
  if (role === "owner" && caller.role !== "owner") throw new AuthError(AuthErrorCode.FORBIDDEN, "Only an owner can change or remove an owner.");
  return role;
}

async function assertNotLastOwner(db: Database, workspaceId: string, role: Role) {
  if (role === "owner" && (await accounts.countOwners(db, workspaceId)) <= 1) {
    throw new AuthError(AuthErrorCode.FORBIDDEN, "This is the workspace's only owner. Make someone else owner first.");
  }
}

function afterChange(userId: string) {
  forgetMemberships(userId);
  forgetVerifiedTokens();
}

/** Changes a member's role (their tokens are lowered with it). */
export async function changeRole(db: Database, caller: Caller, userId: string, role: Role): Promise<Member[]> {
  const current = await manageable(db, caller, userId);
  if (role === "owner" && caller.role !== "owner") throw new AuthError(AuthErrorCode.FORBIDDEN, "Only an owner can make someone an owner.");
  if (current === "owner" && role !== "owner") await assertNotLastOwner(db, caller.workspaceId, current);
  await accounts.setMemberRole(db, caller.workspaceId, userId, role, rolesBelow(role));
  afterChange(userId);
  return listMembers(db, caller);
}

/** Removes a member from the workspace (and their tokens for it). */
export async function removeMember(db: Database, caller: Caller, userId: string): Promise<void> {
  const current = await manageable(db, caller, userId);
  await assertNotLastOwner(db, caller.workspaceId, current);
  await accounts.removeMembership(db, caller.workspaceId, userId);
  afterChange(userId);
}

/** For resetAccess: checks the caller may manage the member, then ends their sessions and tokens. */
export async function revokeAccess(db: Database, caller: Caller, userId: string): Promise<{ email: string }> {
  await manageable(db, caller, userId);
  const user = await accounts.findUser(db, userId);
  await accounts.deleteSessionsOfUser(db, userId);
  await accounts.deleteApiTokensOfUser(db, caller.workspaceId, userId);
  afterChange(userId);
  return { email: user?.email ?? "" };
}

/** True when `caller` may grant `role` (never above their own). */
export const mayGrant = (caller: Caller, role: Role) => roleAtLeast(caller.role, role);
