import "server-only";
import { customAlphabet } from "nanoid";
import { seal } from "@/lib/auth/crypto/secret-box";
import { encryptionKey } from "@/lib/auth/crypto/encryption-key";
import {
  CreateCredentialBodySchema,
  CredentialConfigSchema,
  UpdateCredentialBodySchema,
  type CredentialConfig,
  type CredentialView,
  type UpdateCredentialBody,
} from "@/lib/contracts";
import { getDatabase } from "@/lib/db/database";
import * as repo from "@/lib/db/credentials";
import { credentialRefs } from "@/lib/workflow";
import { parseWorkflow } from "@/lib/workflow";
import { AppError, ErrorCode, notFound } from "../errors";
import { parseInput } from "../http";
import { configColumn, configOf, CredentialIdSchema, hintOf, toView } from "./view";

const newId = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 16);

const nameTaken = (name: string) =>
  new AppError(ErrorCode.CREDENTIAL_NAME_TAKEN, `This workspace already has a credential named "${name}"; choose another name.`);

/** An id from a URL: anything that is not a credential id is simply not found. */
function checkId(id: string): string {
  if (!CredentialIdSchema.safeParse(id).success) throw notFound(`Credential "${id.slice(0, 80)}"`);
  return id;
}

/** The workspace's credentials (name, type, settings, hint, dates), by name. */
export async function listCredentials(workspaceId: string): Promise<CredentialView[]> {
  return (await repo.listCredentials(await getDatabase(), workspaceId)).map(toView);
}

/** One credential of the workspace; another workspace's id is "not found". */
export async function getCredential(workspaceId: string, id: string): Promise<CredentialView> {
  const row = await repo.findCredential(await getDatabase(), workspaceId, checkId(id));
  if (!row) throw notFound(`Credential "${id}"`);
  return toView(row);
}

/** Creates a credential from the request body; the secret is sealed before it is stored. */
export async function createCredential(workspaceId: string, body: unknown, createdBy: string | null = null): Promise<CredentialView> {
  const input = parseInput(CreateCredentialBodySchema, body);
  const { name, secret, ...rest } = input;
  const config = CredentialConfigSchema.parse(rest);
  const row = await repo.insertCredential(await getDatabase(), {
    id: `cred_${newId()}`,
    workspaceId,
    name,
    type: config.type,
    config: configColumn(config),
    secret: seal(secret, encryptionKey()),
    hint: hintOf(secret),
    createdBy,
  });
  if (!row) throw nameTaken(name);
  return toView(row);
}

/** The settings after an update: only fields the type has may change. */
function updatedConfig(current: CredentialConfig, body: UpdateCredentialBody): CredentialConfig {
  const allowed: Record<CredentialConfig["type"], (keyof UpdateCredentialBody)[]> = {
    openai: ["baseUrl"],
    anthropic: ["baseUrl"],
    "http-bearer": [],
    "http-basic": ["username"],
    "http-header": ["headerName"],
  };
  const next: Record<string, unknown> = { ...current };
  for (const key of ["baseUrl", "username", "headerName"] as const) {
    if (body[key] === undefined) continue;
    if (!allowed[current.type].includes(key))
      throw new AppError(ErrorCode.BAD_REQUEST, `A ${current.type} credential has no "${key}"; the type of a credential cannot change (create a new one).`);
    if (key === "baseUrl" && body.baseUrl === "") delete next.baseUrl;
    else next[key] = body[key];
  }
  return CredentialConfigSchema.parse(next);
}

/** Renames a credential, changes its settings, and replaces its secret when a new non-empty one is sent (else keeps it). */
export async function updateCredential(workspaceId: string, id: string, body: unknown): Promise<CredentialView> {
  const input = parseInput(UpdateCredentialBodySchema, body);
  const db = await getDatabase();
  const row = await repo.findCredential(db, workspaceId, checkId(id));
  if (!row) throw notFound(`Credential "${id}"`);
  const config = updatedConfig(configOf(row), input);
  const secret = input.secret ? { secret: seal(input.secret, encryptionKey()), hint: hintOf(input.secret) } : {};
  const result = await repo.updateCredential(db, workspaceId, id, { ...(input.name ? { name: input.name } : {}), config: configColumn(config), ...secret });
  if (result === "not_found") throw notFound(`Credential "${id}"`);
  if (result === "name_taken") throw nameTaken(input.name!);
  return toView(result);
}

/**
 * The workflows whose current version refers to the credential. Old versions are not counted: they
 * are history, and restoring one with a deleted credential fails its runs with CREDENTIAL_NOT_FOUND.
 */
export async function workflowsUsingCredential(workspaceId: string, id: string): Promise<{ id: string; name: string }[]> {
  const versions = await repo.currentVersionsContaining(await getDatabase(), workspaceId, id);
  return versions
    .filter((v) => {
      const parsed = parseWorkflow(safeJson(v.document));
      return parsed.ok && credentialRefs(parsed.document).some((r) => r.credentialId === id);
    })
    .map((v) => ({ id: v.workflowId, name: v.name }));
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/**
 * Deletes a credential. Refused with 409 CREDENTIAL_IN_USE naming the workflows while a saved
 * workflow's current version refers to it: deleting it would break their runs silently.
 */
export async function deleteCredential(workspaceId: string, id: string): Promise<void> {
  const db = await getDatabase();
  const row = await repo.findCredential(db, workspaceId, checkId(id));
  if (!row) throw notFound(`Credential "${id}"`);
  const users = await workflowsUsingCredential(workspaceId, id);
  if (users.length)
    throw new AppError(
      ErrorCode.CREDENTIAL_IN_USE,
      `Credential "${row.name}" is used by ${users.map((w) => `"${w.name}"`).join(", ")}; pick another credential (or Server default) there first.`,
      { workflows: users },
    );
  if (!(await repo.deleteCredential(db, workspaceId, id))) throw notFound(`Credential "${id}"`);
}
