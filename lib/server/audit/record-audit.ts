import "server-only";
import { customAlphabet } from "nanoid";
import type { AuditAction, AuditActor } from "@/lib/contracts/audit-api";
import { getDatabase } from "@/lib/db/database";
import { insertAuditEntry, type AuditInsert } from "@/lib/db/audit";
import { logger } from "../observability/logger";
import { auditDetailText } from "./audit-detail";
import { scopeActor } from "../request-scope";

/** One thing that happened, as a use-case reports it. */
export interface AuditInput {
  /** The workspace it happened in; null for server-wide events (a failed sign-in for an unknown email). */
  workspaceId: string | null;
  action: AuditAction;
  /** The caller (the route wrapper fills it); null or absent: the system (schedules) or not known yet. */
  actor?: AuditActor | null;
  target?: { type: string; id: string };
  /** Small specifics (version, trigger kind, decision). Secret-looking keys are redacted anyway. */
  detail?: Record<string, unknown>;
}

const random = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 8);
let sequence = 0;
/**
 * "aud_" + time (base 36, fixed width) + a per-process counter + random: ids sort in the order entries
 * were made within one millisecond too, so "newest first" is exact for one process.
 */
export function newAuditId(now: number): string {
  sequence = (sequence + 1) % 36 ** 3;
  return `${auditIdFloor(now)}${sequence.toString(36).padStart(3, "0")}${random()}`;
}

/**
 * The smallest id an entry made at `time` can have: every entry made before it has a smaller id, every
 * entry made at or after it a larger one. The primary key is therefore also the log's time index, and
 * retention deletes old entries by an id range without an index of its own on every insert.
 */
export function auditIdFloor(time: number): string {
  return `aud_${Math.max(0, Math.floor(time)).toString(36).padStart(9, "0")}`;
}

const cut = (s: string | undefined, max: number) => (s ? s.slice(0, max) : null);

/** The row recordAudit writes (exported for tests). */
export function toAuditInsert(entry: AuditInput, now = Date.now()): AuditInsert {
  // Absent actor: the caller of the current request (the route wrapper's scope), if any.
  const scoped = entry.actor === undefined ? scopeActor() : null;
  const a = entry.actor ?? (scoped ? { id: scoped.id, email: scoped.email, ip: scoped.ip, userAgent: scoped.userAgent ?? undefined } : undefined);
  return {
    id: newAuditId(now),
    workspaceId: entry.workspaceId,
    actorId: cut(a?.id, 200),
    actorEmail: cut(a?.email, 320),
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: cut(entry.target?.id, 200),
    ip: cut(a?.ip, 100),
    userAgent: cut(a?.userAgent, 500),
    detail: auditDetailText(entry.detail),
    createdAt: new Date(now),
  };
}

/**
 * Records an audit entry. Use-cases await it after their change succeeded (one indexed INSERT, well
 * under a millisecond on SQLite), so when the API answers the entry is in the database. It never
 * throws into the caller: the change already happened and must not be reported as failed because its
 * log line could not be written. A failed write is logged at error level with the whole entry, so it
 * is never lost silently.
 */
export async function recordAudit(entry: AuditInput): Promise<void> {
  let row: AuditInsert | undefined;
  try {
    row = toAuditInsert(entry);
    await insertAuditEntry(await getDatabase(), row);
  } catch (err) {
    logger.error("audit entry not written", { audit: row ?? { action: entry.action, workspaceId: entry.workspaceId }, err });
  }
}
