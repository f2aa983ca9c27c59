import { z } from "zod";

/**
 * Credentials over the wire (GET/POST /api/credentials, GET/PUT/DELETE /api/credentials/:id). A secret
 * goes IN (create, or update with a new one) and never comes back: answers carry the name, type,
 * non-secret settings and a hint (the secret's last 4 characters).
 */

export const CREDENTIAL_TYPES = ["openai", "anthropic", "http-bearer", "http-basic", "http-header"] as const;
export const CredentialTypeSchema = z.enum(CREDENTIAL_TYPES);
export type CredentialType = z.infer<typeof CredentialTypeSchema>;

/** What each type is for (the Credentials page and the node pickers say it). */
export const CREDENTIAL_TYPE_LABELS: Record<CredentialType, string> = {
  openai: "OpenAI-compatible API key",
  anthropic: "Anthropic API key",
  "http-bearer": "HTTP bearer token",
  "http-basic": "HTTP basic auth",
  "http-header": "HTTP header",
};

/** Which credential types a node may use: model keys for Agents, HTTP auth for HTTP requests. */
export const MODEL_CREDENTIAL_TYPES: readonly CredentialType[] = ["openai", "anthropic"];
export const HTTP_CREDENTIAL_TYPES: readonly CredentialType[] = ["http-bearer", "http-basic", "http-header"];

export const CredentialNameSchema = z
  .string()
  .trim()
  .min(1, "Give the credential a name.")
  .max(100, "A credential name is at most 100 characters.")
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]+$/, "A credential name may not contain control characters.");

const SecretSchema = z.string().min(1, "The secret must not be empty.").max(10_000, "The secret is at most 10,000 characters.");
const BaseUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/\S+$/, "The base URL must start with http:// or https://.");
const UsernameSchema = z
  .string()
  .min(1, "Basic auth needs a user name.")
  .max(500)
  .refine((u) => !u.includes(":"), "A basic-auth user name may not contain ':'.");
const HeaderNameSchema = z
  .string()
  .trim()
  .min(1, "Name the header.")
  .max(200)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "A header name is letters, digits and - (e.g. X-Api-Key).");

/** The non-secret settings of each type (stored in clear, shown in the UI). */
export const CredentialConfigSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("openai"), baseUrl: BaseUrlSchema.optional() }),
  z.object({ type: z.literal("anthropic"), baseUrl: BaseUrlSchema.optional() }),
  z.object({ type: z.literal("http-bearer") }),
  z.object({ type: z.literal("http-basic"), username: UsernameSchema }),
  z.object({ type: z.literal("http-header"), headerName: HeaderNameSchema }),
]);
export type CredentialConfig = z.infer<typeof CredentialConfigSchema>;

/** POST /api/credentials: a name, a type with its settings, and the secret (API key, token, password or header value). */
export const CreateCredentialBodySchema = z.intersection(z.object({ name: CredentialNameSchema, secret: SecretSchema }), CredentialConfigSchema);
export type CreateCredentialBody = z.infer<typeof CreateCredentialBodySchema>;

/** PUT /api/credentials/:id: any of these; an omitted (or empty) secret keeps the stored one. The type cannot change. */
export const UpdateCredentialBodySchema = z
  .object({
    name: CredentialNameSchema.optional(),
    secret: z.string().max(10_000).optional(),
    baseUrl: BaseUrlSchema.or(z.literal("")).optional(),
    username: UsernameSchema.optional(),
    headerName: HeaderNameSchema.optional(),
  })
  .strict();
export type UpdateCredentialBody = z.infer<typeof UpdateCredentialBodySchema>;

/** A credential as every answer shows it: never the secret, never the ciphertext. */
export const CredentialViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: CredentialTypeSchema,
  /** The secret's last 4 characters ("…abcd"), or "" for secrets shorter than 12 characters. */
  hint: z.string(),
  baseUrl: z.string().optional(),
  username: z.string().optional(),
  headerName: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
});
export type CredentialView = z.infer<typeof CredentialViewSchema>;

export const CredentialListSchema = z.object({ credentials: z.array(CredentialViewSchema) });

/** 409 CREDENTIAL_IN_USE: the workflows whose current version refers to the credential. */
export const CredentialInUseSchema = z.object({ id: z.string(), name: z.string() });
