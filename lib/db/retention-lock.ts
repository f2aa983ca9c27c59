import "server-only";
import type { Database } from "./client";
import { executeRaw } from "./raw-sql";

// A lease on a named maintenance job (MaintenanceLock), so that of several processes sharing one
// database only one runs the job at a time. Like run leases: an owner `host:pid:nonce` until a time;
// an expired lease (its owner crashed) may be taken by anyone.

/** The job's row: holder and the last pass. */
export interface MaintenanceState {
  owner: string | null;
  expiresAt: Date | null;
  lastRunAt: Date | null;
  lastResult: string | null;
}

/** Takes the lease of `name` for `owner` until `expiresAt` if it is free, expired or already ours. True if taken. */
export async function takeMaintenanceLock(db: Database, name: string, owner: string, expiresAt: Date, now: Date): Promise<boolean> {
  await executeRaw(db, `INSERT INTO "MaintenanceLock" ("name", "updatedAt") VALUES ($1, $2) ON CONFLICT ("name") DO NOTHING`, [name, now]);
  const { count } = await db.prisma.maintenanceLock.updateMany({
    where: { name, OR: [{ owner: null }, { owner }, { expiresAt: null }, { expiresAt: { lt: now } }] },
    data: { owner, expiresAt },
  });
  return count === 1;
}

/** Extends our lease (a long pass); false if it was lost (expired and taken by another process). */
export async function renewMaintenanceLock(db: Database, name: string, owner: string, expiresAt: Date): Promise<boolean> {
  const { count } = await db.prisma.maintenanceLock.updateMany({ where: { name, owner }, data: { expiresAt } });
  return count === 1;
}

/** Gives the lease back, recording the pass (when `result` is given). */
export async function releaseMaintenanceLock(db: Database, name: string, owner: string, result?: { at: Date; summary: string }): Promise<void> {
  await db.prisma.maintenanceLock.updateMany({
    where: { name, owner },
    data: { owner: null, expiresAt: null, ...(result ? { lastRunAt: result.at, lastResult: result.summary } : {}) },
  });
}

/** The job's row, or null before its first pass. */
export async function maintenanceState(db: Database, name: string): Promise<MaintenanceState | null> {
  return db.prisma.maintenanceLock.findUnique({ where: { name }, select: { owner: true, expiresAt: true, lastRunAt: true, lastResult: true } });
}
