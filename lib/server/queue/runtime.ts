import "server-only";
import { processSlot } from "@/lib/process-singleton";
import { auraRole, processLabel, queueMode, queuePrefix, type AuraRole } from "./config";
import { RunQueue } from "./run-queue";

/**
 * The process-wide run queue of queue mode (one Redis connection per process; on globalThis because
 * server.ts and Next's route bundles share it). Null without REDIS_URL: everything stays in-process.
 */
const slot = processSlot<RunQueue>("runQueue");

/** The run queue, created on first use; null when queue mode is off (no REDIS_URL). */
export function getRunQueue(): RunQueue | null {
  if (!queueMode()) return null;
  let q = slot.get();
  if (!q) slot.set((q = new RunQueue(process.env.REDIS_URL!, queuePrefix())));
  return q;
}

/** Closes the run queue's connection (shutdown, tests). */
export async function closeRunQueue(): Promise<void> {
  const q = slot.get();
  slot.set(undefined);
  await q?.close();
}

/** This process's role (AURA_ROLE) and its label for metrics and the workers panel. */
export function processIdentity(): { role: AuraRole; label: string } {
  const role = auraRole();
  return { role, label: processLabel(role) };
}
