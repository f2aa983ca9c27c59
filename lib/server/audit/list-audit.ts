import "server-only";
import type { z } from "zod";
import { type AuditEntryView, type AuditPage, type AuditQuerySchema } from "@/lib/contracts/audit-api";
import { getDatabase } from "@/lib/db/database";
import { listAuditEntries, type AuditRow } from "@/lib/db/audit";
import { AppError, ErrorCode } from "../errors";
import { parseAuditDetail } from "./audit-detail";

function encodeCursor(r: AuditRow): string {
  return Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at);
  if (!id || !/^aud_[0-9a-z]+$/.test(id) || Number.isNaN(createdAt.getTime()))
    throw new AppError(ErrorCode.BAD_REQUEST, "The cursor is not valid; use nextCursor from the previous page.");
  return { createdAt, id };
}

function view(r: AuditRow): AuditEntryView {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    actorId: r.actorId,
    actorEmail: r.actorEmail,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    ip: r.ip,
    userAgent: r.userAgent,
    detail: parseAuditDetail(r.detail),
    createdAt: r.createdAt.toISOString(),
  };
}

/** A workspace's audit entries, newest first, one page (keyset pagination by (createdAt, id)). */
export async function listAudit(workspaceId: string, q: z.infer<typeof AuditQuerySchema>): Promise<AuditPage> {
  const db = await getDatabase();
  const rows = await listAuditEntries(db, {
    workspaceId,
    actions: q.action,
    actorId: q.actorId,
    from: q.from,
    to: q.to,
    before: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: q.limit,
  });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { entries: page.map(view), nextCursor: more ? encodeCursor(page[page.length - 1]) : null };
}
