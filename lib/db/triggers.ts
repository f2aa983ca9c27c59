import "server-only";
import type { WorkflowTrigger } from "./generated/sqlite/client";
import type { Database } from "./client";

export type TriggerRow = WorkflowTrigger;

export interface TriggerInput {
  id: string;
  kind: "webhook" | "schedule";
  enabled: boolean;
  secret: string | null;
  cron: string | null;
  timezone: string | null;
  input: string;
  /** Webhook: "immediately" | "lastNode" | "stream"; schedules keep the default. */
  responseMode: string;
}

/** A workflow's triggers, oldest first. */
export function listTriggers(db: Database, workflowId: string): Promise<TriggerRow[]> {
  return db.prisma.workflowTrigger.findMany({ where: { workflowId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** Every enabled schedule trigger (the scheduler loads them at boot). */
export function listEnabledSchedules(db: Database): Promise<TriggerRow[]> {
  return db.prisma.workflowTrigger.findMany({ where: { kind: "schedule", enabled: true } });
}

/** Replaces a workflow's triggers with `triggers` in one transaction (ids kept, so lastFiredAt survives). */
export async function replaceTriggers(db: Database, workflowId: string, triggers: TriggerInput[]): Promise<TriggerRow[]> {
  await db.prisma.$transaction(async (tx) => {
    await tx.workflowTrigger.deleteMany({ where: { workflowId, id: { notIn: triggers.map((t) => t.id) } } });
    for (const t of triggers) {
      const { id, ...data } = t;
      await tx.workflowTrigger.upsert({ where: { id }, create: { id, workflowId, ...data }, update: data });
    }
  });
  return listTriggers(db, workflowId);
}

/** Enabled webhook triggers of a workflow. */
export function listWebhooks(db: Database, workflowId: string): Promise<TriggerRow[]> {
  return db.prisma.workflowTrigger.findMany({ where: { workflowId, kind: "webhook", enabled: true } });
}

/**
 * Claims one scheduled fire time: true for exactly one caller per (trigger, time), even across
 * processes (conditional UPDATE on lastFiredAt).
 */
export async function claimScheduleFire(db: Database, id: string, at: Date): Promise<boolean> {
  const { count } = await db.prisma.workflowTrigger.updateMany({
    where: { id, enabled: true, OR: [{ lastFiredAt: null }, { lastFiredAt: { lt: at } }] },
    data: { lastFiredAt: at },
  });
  return count === 1;
}
