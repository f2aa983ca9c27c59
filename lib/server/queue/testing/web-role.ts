import { setDatabase } from "@/lib/db/database";
import type { TestDatabase } from "@/lib/db/testing";
import { shutdownRunManager } from "../../runs/manager";
import { closeRunQueue, getRunQueue } from "../runtime";

const QUEUE_VARIABLES = ["REDIS_URL", "AURA_QUEUE_PREFIX", "AURA_ROLE"] as const;

/**
 * Makes this test process a web process in queue mode on `t` (it queues runs under `prefix` and
 * executes nothing); `leave()` undoes it: its run manager and queue closed, the prefix's Redis keys
 * deleted, the variables as they were, the database dropped.
 */
export async function becomeWebProcess(t: TestDatabase, redisUrl: string, prefix: string): Promise<{ leave: () => Promise<void> }> {
  const saved = Object.fromEntries(QUEUE_VARIABLES.map((k) => [k, process.env[k]]));
  setDatabase(t.db);
  Object.assign(process.env, { REDIS_URL: redisUrl, AURA_QUEUE_PREFIX: prefix, AURA_ROLE: "web" });
  await shutdownRunManager();
  return {
    async leave() {
      await shutdownRunManager();
      const q = getRunQueue();
      if (q) {
        await q.queue.obliterate({ force: true }).catch(() => {});
        const keys = await q.redis().keys(`${prefix}:*`);
        if (keys.length) await q.redis().del(...keys);
      }
      await closeRunQueue();
      for (const k of QUEUE_VARIABLES) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      setDatabase(null);
      await t.drop();
    },
  };
}
