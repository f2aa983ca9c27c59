// The audit log's closed set of actions and the shapes of GET /api/audit, shared by the server and the
// admin page (/settings/audit).
import { z } from "zod";
import { commaList, isoOrMs } from "./query-params";

/**
 * Every action the audit log records. Closed on purpose: a new kind of event is added here (and the
 * admin page's filter lists it) rather than invented as a string at the call site.
 */
export const AuditActionSchema = z.enum([
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "auth.password_changed",
  "auth.owner_created",
  "member.invited",
  "member.joined",
  "member.removed",
  "member.role_changed",
  "member.access_reset",
  "token.created",
  "token.revoked",
  "credential.created",
  "credential.updated",
  "credential.deleted",
  "workflow.created",
  "workflow.saved",
  "workflow.renamed",
  "workflow.deleted",
  "workflow.imported",
  "workflow.restored",
  "run.started",
  "run.cancelled",
  "approval.answered",
  "trigger.changed",
]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** Who did it, as the route wrapper knows the caller; null or absent: the system or nobody known. */
export const AuditActorSchema = z.object({
  id: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  ip: z.string().max(100).optional(),
  userAgent: z.string().max(500).optional(),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

/** One entry as the API answers it. `detail` is a small object of specifics (never secrets). */
export const AuditEntrySchema = z.object({
  id: z.string(),
  workspaceId: z.string().nullable(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  /** One of AuditActionSchema when written; read as a string so entries of an older or newer build still list. */
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntrySchema>;

/** GET /api/audit?action=&actorId=&from=&to=&cursor=&limit= (every parameter optional). */
export const AuditQuerySchema = z.object({
  /** One action or several, comma-separated. */
  action: commaList(AuditActionSchema, "audit action", false),
  actorId: z.string().min(1).max(200).optional(),
  /** At or after this time. */
  from: isoOrMs.optional(),
  /** Before this time. */
  to: isoOrMs.optional(),
  /** nextCursor of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** GET /api/audit answer: newest first; pass nextCursor back as cursor for older entries. */
export const AuditPageSchema = z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPageSchema>;
