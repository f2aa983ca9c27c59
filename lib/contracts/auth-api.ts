import { z } from "zod";

/**
 * Roles in a workspace, lowest first: viewer (read only, no secrets), editor (edit and run), admin
 * (members, credentials, tokens of others), owner (everything, incl. other owners).
 */
export const RoleSchema = z.enum(["viewer", "editor", "admin", "owner"]);
export type Role = z.infer<typeof RoleSchema>;

const email = z.email("Enter an email address like ada@example.com.").max(254);
/** Passwords: long enough to resist guessing; the upper bound keeps hashing cheap for the server. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
const password = z
  .string()
  .min(PASSWORD_MIN, `The password needs at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `The password may have at most ${PASSWORD_MAX} characters.`);
const personName = z.string().trim().min(1, "Enter a name.").max(100);

/** GET /api/setup → whether the owner account still has to be created, and whether this caller may. */
export const SetupStatusSchema = z.object({
  pending: z.boolean(),
  /** True when this client may create the owner without the setup token (it connects from the machine itself). */
  local: z.boolean(),
});
/** POST /api/setup: the first account (owner of the default workspace). Remote callers add the token from the server log. */
export const SetupBodySchema = z.object({ email, password, name: personName.optional(), setupToken: z.string().max(200).optional() });

export const SignInBodySchema = z.object({ email, password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX) });
export const ChangePasswordBodySchema = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX), newPassword: password });

export const WorkspaceRefSchema = z.object({ id: z.string(), name: z.string(), role: RoleSchema });
export type WorkspaceRef = z.infer<typeof WorkspaceRefSchema>;

/** GET /api/auth/session: who is calling, in which workspace, with which role. */
export const SessionInfoSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  workspace: WorkspaceRefSchema,
  workspaces: z.array(WorkspaceRefSchema),
  via: z.enum(["session", "token"]),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const CreateWorkspaceBodySchema = z.object({ name: z.string().trim().min(1, "Enter a name.").max(100) });
export const SwitchWorkspaceBodySchema = z.object({ workspaceId: z.string().min(1).max(64) });

export const MemberSchema = z.object({ userId: z.string(), email: z.string(), name: z.string(), role: RoleSchema, joinedAt: z.string() });
export type Member = z.infer<typeof MemberSchema>;
export const UpdateMemberBodySchema = z.object({ role: RoleSchema });

/** Links expire; invitations after 7 days at most. */
export const LINK_MAX_HOURS = 24 * 7;
export const CreateInvitationBodySchema = z.object({
  role: RoleSchema.exclude(["owner"]).default("viewer"),
  /** Who it is for (shown to admins; the person may sign up with another address). */
  email: email.optional(),
  expiresInHours: z.number().int().min(1).max(LINK_MAX_HOURS).default(72),
});
export const InvitationSchema = z.object({
  id: z.string(),
  role: RoleSchema,
  email: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
});
export type Invitation = z.infer<typeof InvitationSchema>;
/** POST /api/invitations → the link, shown once. */
export const CreatedLinkSchema = z.object({ id: z.string(), url: z.string(), expiresAt: z.string() });

/** GET /api/access-links/:token → what a link does, before the person acts on it. */
export const LinkInfoSchema = z.object({
  kind: z.enum(["invite", "reset"]),
  workspaceName: z.string(),
  role: RoleSchema.nullable(),
  email: z.string().nullable(),
  expiresAt: z.string(),
});
/** POST /api/access-links/:token: invite → create the account (or, signed in, join); reset → set a new password. */
export const UseLinkBodySchema = z.object({ email: email.optional(), name: personName.optional(), password: password.optional() });

export const TOKEN_MIN_LENGTH = 32;
export const CreateTokenBodySchema = z.object({
  name: z.string().trim().min(1, "Name the token (what uses it).").max(60),
  role: RoleSchema.optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const ApiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type ApiTokenView = z.infer<typeof ApiTokenSchema>;
/** POST /api/tokens → the token itself, shown this once. */
export const CreatedTokenSchema = ApiTokenSchema.extend({ token: z.string() });
