import "server-only";
import { z } from "zod";
import { CredentialConfigSchema, CredentialTypeSchema, type CredentialConfig, type CredentialView } from "@/lib/contracts";
import type { CredentialRow } from "@/lib/db/credentials";

/** A secret's hint: its last 4 characters, and only when that leaves at least 8 unseen (shorter secrets show nothing). */
export function hintOf(secret: string): string {
  return secret.length >= 12 ? `…${secret.slice(-4)}` : "";
}

/** The non-secret settings of a row (type + config column), checked: a malformed row reads as its bare type. */
export function configOf(row: Pick<CredentialRow, "type" | "config">): CredentialConfig {
  let stored: unknown = {};
  try {
    stored = JSON.parse(row.config);
  } catch {
    // a corrupt config column: fall through to the type alone
  }
  const parsed = CredentialConfigSchema.safeParse({ ...(stored as object), type: row.type });
  return parsed.success ? parsed.data : ({ type: CredentialTypeSchema.parse(row.type) } as CredentialConfig);
}

/** The config column: the settings without the type (the type has its own column). */
export const configColumn = (config: CredentialConfig) => {
  const { type: _type, ...rest } = config;
  return JSON.stringify(rest);
};

/** What every answer shows of a credential: never the secret, never the ciphertext. */
export function toView(row: CredentialRow): CredentialView {
  const config = configOf(row);
  const { type, ...settings } = config;
  return {
    id: row.id,
    name: row.name,
    type,
    hint: row.hint,
    ...(settings as Record<string, string>),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    createdBy: row.createdBy,
  };
}

export const CredentialIdSchema = z.string().regex(/^cred_[a-z0-9]{1,60}$/);
