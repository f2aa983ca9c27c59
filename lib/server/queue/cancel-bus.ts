import "server-only";
import type { Redis } from "ioredis";
import { z } from "zod";

const CancelMessageSchema = z.object({ runId: z.string().min(1), reason: z.string() });

/** The channel a web process asks the executing worker to stop a run on (queue mode). */
export const cancelChannel = (prefix: string) => `${prefix}:cancel`;

/** Asks every worker process to stop a run it executes (the one holding its lease does). Resolves with how many processes listen. */
export async function requestCancel(redis: Redis, prefix: string, runId: string, reason: string): Promise<number> {
  return redis.publish(cancelChannel(prefix), JSON.stringify({ runId, reason }));
}

/**
 * Listens for cancel requests on a duplicate of `redis` (a subscribed connection can do nothing
 * else) and hands each to `cancel` (the run manager's cancelActive: a no-op for runs not executing
 * here). Returns a closer.
 */
export async function listenForCancels(redis: Redis, prefix: string, cancel: (runId: string, reason: string) => void): Promise<() => Promise<void>> {
  const sub = redis.duplicate();
  sub.on("error", () => {});
  sub.on("message", (_channel: string, text: string) => {
    try {
      const m = CancelMessageSchema.parse(JSON.parse(text));
      cancel(m.runId, m.reason);
    } catch {
      // Not ours to understand (another version's message): ignored.
    }
  });
  await sub.subscribe(cancelChannel(prefix));
  return async () => {
    sub.disconnect();
  };
}
