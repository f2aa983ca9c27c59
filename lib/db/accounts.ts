import "server-only";
import type { Database } from "./client";

// Accounts, memberships, access links and API tokens (lib/auth is the only caller). The User, Session
// and Account rows are written by better-auth through its Prisma adapter; we read them here.

/** How many accounts exist (0 = the owner setup is pending). */
export const countUsers = (db: Database) => db.prisma.user.count();

export const findUserByEmail = (db: Database, email: string) => db.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
export const findUser = (db: Database, id: string) => db.prisma.user.findUnique({ where: { id } });

/** The workspaces a user belongs to, with the role in each (oldest membership first). */
export const listMembershipsOfUser = (db: Database, userId: string) =>
  db.prisma.membership.findMany({ where: { userId }, include: { workspace: { select: { name: true } } }, orderBy: { createdAt: "asc" } });

export const findMembership = (db: Database, workspaceId: string, userId: string) =>
  db.prisma.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });

export const listMembers = (db: Database, workspaceId: string) =>
  db.prisma.membership.findMany({
    where: { workspaceId },
    include: { user: { select: { email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });

export const countOwners = (db: Database, workspaceId: string) => db.prisma.membership.count({ where: { workspaceId, role: "owner" } });

/** Adds the user to the workspace with `role`, or changes their role there. */
export const upsertMembership = (db: Database, workspaceId: string, userId: string, role: string) =>
  db.prisma.membership.upsert({ where: { workspaceId_userId: { workspaceId, userId } }, create: { workspaceId, userId, role }, update: { role } });

/** Changes a member's role; their tokens in the workspace never stay above it. */
export async function setMemberRole(db: Database, workspaceId: string, userId: string, role: string, lowerRoles: string[]): Promise<void> {
  await db.prisma.$transaction([
    db.prisma.membership.update({ where: { workspaceId_userId: { workspaceId, userId } }, data: { role } }),
    db.prisma.apiToken.updateMany({ where: { workspaceId, userId, role: { notIn: [...lowerRoles, role] } }, data: { role } }),
  ]);
}

/** Removes a member and the tokens they had for the workspace. */
export async function removeMembership(db: Database, workspaceId: string, userId: string): Promise<void> {
  await db.prisma.$transaction([
    db.prisma.apiToken.deleteMany({ where: { workspaceId, userId } }),
    db.prisma.membership.delete({ where: { workspaceId_userId: { workspaceId, userId } } }),
  ]);
}

/** Ends every session of a user (they must sign in again). */
export const deleteSessionsOfUser = (db: Database, userId: string) => db.prisma.session.deleteMany({ where: { userId } });

export const createWorkspaceRow = (db: Database, id: string, name: string, ownerId: string) =>
  db.prisma.workspace.create({ data: { id, name, members: { create: { userId: ownerId, role: "owner" } } } });

// ── access links (invitations, access resets) ───────────────────────────────────────────────

export interface AccessLinkInput {
  id: string;
  kind: "invite" | "reset";
  tokenHash: string;
  workspaceId: string;
  role?: string | null;
  email?: string | null;
  userId?: string | null;
  createdById: string;
  expiresAt: Date;
}

export const createAccessLink = (db: Database, link: AccessLinkInput) => db.prisma.accessLink.create({ data: link });
export const findAccessLinkByHash = (db: Database, tokenHash: string) => db.prisma.accessLink.findUnique({ where: { tokenHash } });

/** Marks a link used; false when it was already used (two tabs racing: only one wins). */
export async function markAccessLinkUsed(db: Database, id: string): Promise<boolean> {
  const { count } = await db.prisma.accessLink.updateMany({ where: { id, usedAt: null }, data: { usedAt: new Date() } });
  return count === 1;
}

export const listOpenInvitations = (db: Database, workspaceId: string) =>
  db.prisma.accessLink.findMany({ where: { workspaceId, kind: "invite", usedAt: null, expiresAt: { gt: new Date() } }, orderBy: { createdAt: "desc" } });

export const deleteAccessLink = (db: Database, workspaceId: string, id: string) => db.prisma.accessLink.deleteMany({ where: { id, workspaceId } });

/** Open reset links of a user in a workspace are replaced by a new one. */
export const deleteResetLinksOfUser = (db: Database, workspaceId: string, userId: string) =>
  db.prisma.accessLink.deleteMany({ where: { workspaceId, userId, kind: "reset" } });

// ── API tokens ──────────────────────────────────────────────────────────────────────────────

export interface ApiTokenInput {
  id: string;
  userId: string;
  workspaceId: string;
  role: string;
  name: string;
  prefix: string;
  tokenHash: string;
  expiresAt?: Date | null;
}

export const createApiToken = (db: Database, token: ApiTokenInput) => db.prisma.apiToken.create({ data: token });
export const findApiTokenByHash = (db: Database, tokenHash: string) => db.prisma.apiToken.findUnique({ where: { tokenHash } });
export const listApiTokens = (db: Database, workspaceId: string, userId: string) =>
  db.prisma.apiToken.findMany({ where: { workspaceId, userId }, orderBy: { createdAt: "desc" } });
/** Deletes a token of this user in this workspace; 0 when there was none. */
export const deleteApiToken = (db: Database, workspaceId: string, userId: string, id: string) =>
  db.prisma.apiToken.deleteMany({ where: { id, workspaceId, userId } }).then((r) => r.count);
export const deleteApiTokensOfUser = (db: Database, workspaceId: string, userId: string) => db.prisma.apiToken.deleteMany({ where: { workspaceId, userId } });
export const touchApiToken = (db: Database, id: string, at: Date) => db.prisma.apiToken.updateMany({ where: { id }, data: { lastUsedAt: at } });

// ── server settings ─────────────────────────────────────────────────────────────────────────

/** The value of `key`, created from `create()` on first use (safe when processes race: the first write wins). */
export async function getOrCreateServerSetting(db: Database, key: string, create: () => string): Promise<string> {
  const found = await db.prisma.serverSetting.findUnique({ where: { key } });
  if (found) return found.value;
  try {
    await db.prisma.serverSetting.create({ data: { key, value: create() } });
  } catch {
    // Another process created it first (unique key): read theirs.
  }
  return (await db.prisma.serverSetting.findUniqueOrThrow({ where: { key } })).value;
}
