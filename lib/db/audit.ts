import "server-only";
import type { AuditEntry } from "./generated/sqlite/client";
import type { Database } from "./client";
import { executeRaw } from "./raw-sql";
import { writeAtomically, type WriteStatement } from "./sqlite-writes";

/** An audit row as stored (detail is JSON text; lib/server/audit parses it for the API). */
export type AuditRow = AuditEntry;

/** What a caller records; id and createdAt are chosen by the caller (time-ordered ids). */
export interface AuditInsert {
  id: string;
  workspaceId: string | null;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: string;
  createdAt: Date;
}

const AUDIT_COLUMNS = ["id", "workspaceId", "actorId", "actorEmail", "action", "targetType", "targetId", "ip", "userAgent", "detail", "createdAt"] as const;

/**
 * The INSERT of one entry: write it alone, or with the change it records in one transaction
 * (writeAtomically: a run start writes its row, its first event and its entry at once). Raw SQL:
 * Prisma's create plans the query on the calling thread at every call, and entries are written on the
 * server's main thread by every change, runs included.
 */
export function auditEntryInsert(entry: AuditInsert): WriteStatement {
  return {
    sql: `INSERT INTO "AuditEntry" (${AUDIT_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${AUDIT_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`,
    params: AUDIT_COLUMNS.map((c) => entry[c]),
  };
}

/** Appends one entry. */
export async function insertAuditEntry(db: Database, entry: AuditInsert): Promise<void> {
  await writeAtomically(db, [auditEntryInsert(entry)]);
}

export interface AuditListQuery {
  /** The workspace's entries; `null` = server-wide entries (no workspace). */
  workspaceId: string | null;
  actions?: string[];
  actorId?: string;
  from?: Date;
  to?: Date;
  /** Keyset: entries strictly older than this (createdAt, id). */
  before?: { createdAt: Date; id: string };
  limit: number;
}

/**
 * Entries newest first, `limit + 1` rows so the caller knows whether there is another page (keyset
 * pagination on (createdAt, id): every page is one index range of [workspaceId, createdAt]).
 */
export function listAuditEntries(db: Database, q: AuditListQuery): Promise<AuditRow[]> {
  return db.prisma.auditEntry.findMany({
    where: {
      workspaceId: q.workspaceId,
      ...(q.actions?.length ? { action: q.actions.length === 1 ? q.actions[0] : { in: q.actions } } : {}),
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
      ...(q.before ? { OR: [{ createdAt: { lt: q.before.createdAt } }, { createdAt: q.before.createdAt, id: { lt: q.before.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
}

/** How many entries there are (tests compare counts before and after a refused request). */
export function countAuditEntries(db: Database): Promise<number> {
  return db.prisma.auditEntry.count();
}

/** One retention batch of the audit log: the oldest entries below an id (ids are time-ordered), of one action or of all but it. */
export interface AuditPruneBatch {
  /** Only entries with a smaller id (the server's auditIdFloor of the cutoff time)… */
  idBelow: string;
  /** …and made before this (the same cutoff: an id that does not encode its time is never taken early). */
  before: Date;
  /** "only": entries of this action; "except": every other entry. */
  action: { only: string } | { except: string };
  limit: number;
}

/**
 * Deletes up to `limit` entries of a batch, oldest first, in one short statement; returns how many.
 * The id range walks the primary key from its start, where the expired entries are.
 */
export function deleteAuditEntries(db: Database, b: AuditPruneBatch): Promise<number> {
  const [op, action] = "only" in b.action ? ["=", b.action.only] : ["<>", b.action.except];
  return executeRaw(
    db,
    `DELETE FROM "AuditEntry" WHERE "id" IN (
       SELECT "id" FROM "AuditEntry" WHERE "id" < $1 AND "createdAt" < $2 AND "action" ${op} $3 ORDER BY "id" LIMIT $4)`,
    [b.idBelow, b.before, action, b.limit],
  );
}
