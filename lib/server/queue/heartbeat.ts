import "server-only";
import os from "node:os";
import type { Redis } from "ioredis";
import { QueueProcessSchema, type QueueProcess } from "@/lib/contracts/queue-api";
import type { AuraRole } from "./config";

/** A process whose last heartbeat is older than this is gone (left off the list, then deleted). */
export const HEARTBEAT_STALE_MS = 30_000;
/** How often a process writes its heartbeat. */
export const HEARTBEAT_MS = 2000;

const key = (prefix: string) => `${prefix}:processes`;

/**
 * Writes this process's heartbeat (a field of one Redis hash per installation) every HEARTBEAT_MS:
 * role, host, pid, runs in flight, draining. Returns a stopper that removes the entry (clean exit);
 * a killed process's entry goes stale and readers drop it.
 */
export function startHeartbeat(
  redis: Redis,
  prefix: string,
  me: { label: string; role: AuraRole },
  state: () => { inFlight: number; draining: boolean },
): () => Promise<void> {
  const startedAt = new Date().toISOString();
  const beat = () => {
    const entry: QueueProcess = {
      label: me.label,
      role: me.role,
      host: os.hostname(),
      pid: process.pid,
      startedAt,
      lastHeartbeatAt: new Date().toISOString(),
      ...state(),
    };
    // Redis down: the next beat tries again; the panel shows the gap as an old heartbeat.
    redis.hset(key(prefix), me.label, JSON.stringify(entry)).catch(() => {});
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await redis.hdel(key(prefix), me.label).catch(() => {});
  };
}

/** The processes with a fresh heartbeat, by label; stale entries are deleted on the way. */
export async function listProcesses(redis: Redis, prefix: string, now = Date.now()): Promise<QueueProcess[]> {
  const all = await redis.hgetall(key(prefix));
  const live: QueueProcess[] = [];
  const stale: string[] = [];
  for (const [label, text] of Object.entries(all)) {
    const parsed = QueueProcessSchema.safeParse(safeJson(text));
    if (parsed.success && now - Date.parse(parsed.data.lastHeartbeatAt) < HEARTBEAT_STALE_MS) live.push(parsed.data);
    else stale.push(label);
  }
  if (stale.length) await redis.hdel(key(prefix), ...stale).catch(() => {});
  return live.sort((a, b) => a.label.localeCompare(b.label));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
