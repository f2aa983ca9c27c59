import "server-only";
import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import type { BreakerSync, ResilienceRegistry, SharedTransition } from "@/lib/engine/resilience/registry";

/** How long the last shared state of a breaker is kept in Redis (a process that starts later reads it). */
const SNAPSHOT_TTL_MS = 60 * 60_000;

interface Message {
  origin: string;
  scope: string;
  key: string;
  t: SharedTransition;
}

/**
 * Circuit breakers shared by the server processes on one Redis (REDIS_URL): a transition made in one
 * process is published on `<prefix>breakers` and applied by the others (open since the same time,
 * or closed), the latest one is kept under `<prefix>breaker:<scope>:<key>` for processes that start
 * later, and the probe of an open breaker is claimed with `SET NX PX <cool-down>` so one process
 * sends it. Failures are still counted per process (the first process to reach the threshold opens
 * it for all); rate limits stay per process. Redis failures never fail a call: the process then
 * decides alone (a lost claim answers "claimed").
 */
export async function connectBreakerSync(
  url: string,
  registry: ResilienceRegistry,
  options: { prefix?: string; log?: (message: string) => void } = {},
): Promise<BreakerSync & { close(): Promise<void> }> {
  const prefix = options.prefix ?? "aura:";
  const log = options.log ?? (() => {});
  const origin = randomUUID();
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const [name, client] of [
    ["pub", pub],
    ["sub", sub],
  ] as const)
    client.on("error", (err: Error) => log(`redis breakers ${name}: ${err.message}`));
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (error) {
    pub.destroy();
    sub.destroy();
    throw new Error(`Cannot reach Redis at ${url} (REDIS_URL) for the circuit breakers: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const channel = `${prefix}breakers`;
  const stateKey = (scope: string, key: string) => `${prefix}breaker:${scope}:${key}`;
  await sub.subscribe(channel, (raw) => {
    try {
      const m = JSON.parse(raw) as Message;
      if (m.origin !== origin) registry.applyRemote(m.scope, m.key, m.t);
    } catch (err) {
      log(`redis breakers: bad message: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return {
    publish(scope, key, t) {
      const message: Message = { origin, scope, key, t };
      void Promise.all([pub.set(stateKey(scope, key), JSON.stringify(t), { PX: SNAPSHOT_TTL_MS }), pub.publish(channel, JSON.stringify(message))]).catch(
        (err: Error) => log(`redis breakers: publish failed: ${err.message}`),
      );
    },
    async claimProbe(scope, key, ttlMs) {
      const ok = await pub.set(`${stateKey(scope, key)}:probe`, origin, { NX: true, PX: Math.max(100, ttlMs) });
      return ok === "OK";
    },
    async snapshot(scope, key) {
      const raw = await pub.get(stateKey(scope, key));
      return raw ? (JSON.parse(raw) as SharedTransition) : null;
    },
    async close() {
      await Promise.allSettled([sub.quit(), pub.quit()]);
    },
  };
}
