import "server-only";
import type { Credential } from "./generated/sqlite/client";
import type { Database } from "./client";
import { isUniqueViolation } from "./workflows";

/** A Credential row as stored (the secret still sealed; lib/server/credentials opens it only to use it). */
export type CredentialRow = Credential;

export interface NewCredential {
  id: string;
  workspaceId: string;
  name: string;
  type: string;
  config: string;
  secret: string;
  hint: string;
  createdBy: string | null;
}

/** A workspace's credentials, by name. */
export function listCredentials(db: Database, workspaceId: string): Promise<CredentialRow[]> {
  return db.prisma.credential.findMany({ where: { workspaceId }, orderBy: [{ name: "asc" }, { id: "asc" }] });
}

/** The credential with this id in this workspace, or null (another workspace's id is null too). */
export function findCredential(db: Database, workspaceId: string, id: string): Promise<CredentialRow | null> {
  return db.prisma.credential.findFirst({ where: { id, workspaceId } });
}

/** The credential with this name in this workspace, or null. */
export function findCredentialByName(db: Database, workspaceId: string, name: string): Promise<CredentialRow | null> {
  return db.prisma.credential.findUnique({ where: { workspaceId_name: { workspaceId, name } } });
}

/** Inserts a credential; null when the workspace already has one with this name. */
export async function insertCredential(db: Database, input: NewCredential): Promise<CredentialRow | null> {
  try {
    return await db.prisma.credential.create({ data: input });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Updates a credential of this workspace: the row, "not_found", or "name_taken". */
export async function updateCredential(
  db: Database,
  workspaceId: string,
  id: string,
  data: Partial<Pick<NewCredential, "name" | "config" | "secret" | "hint">>,
): Promise<CredentialRow | "not_found" | "name_taken"> {
  try {
    const { count } = await db.prisma.credential.updateMany({ where: { id, workspaceId }, data });
    if (count === 0) return "not_found";
  } catch (error) {
    if (isUniqueViolation(error)) return "name_taken";
    throw error;
  }
  return (await findCredential(db, workspaceId, id)) ?? "not_found";
}

/** Deletes a credential of this workspace; false when there is none with this id there. */
export async function deleteCredential(db: Database, workspaceId: string, id: string): Promise<boolean> {
  const { count } = await db.prisma.credential.deleteMany({ where: { id, workspaceId } });
  return count === 1;
}

/**
 * The current versions of this workspace's workflows whose document text contains `text` (a
 * credential id: random, so a text match is a reference; the caller confirms on the parsed document).
 */
export async function currentVersionsContaining(
  db: Database,
  workspaceId: string,
  text: string,
): Promise<{ workflowId: string; name: string; version: number; document: string }[]> {
  const rows = await db.prisma.workflowVersion.findMany({
    where: { document: { contains: text }, workflow: { workspaceId } },
    select: { workflowId: true, version: true, document: true, workflow: { select: { name: true, currentVersion: true } } },
  });
  return rows
    .filter((r) => r.version === r.workflow.currentVersion)
    .map((r) => ({ workflowId: r.workflowId, name: r.workflow.name, version: r.version, document: r.document }));
}
