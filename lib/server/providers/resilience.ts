import "server-only";
import { ResilienceRegistry } from "@/lib/engine/resilience/registry";
import { DEFAULT_PROVIDER_SETTINGS, type ProviderEntry, type ProviderSettings } from "@/lib/contracts/providers-api";
import { getDatabase } from "@/lib/db/database";
import { listProviderSettings } from "@/lib/db/provider-settings";
import { processSingleton } from "@/lib/process-singleton";

/** How long a workspace's settings are reused before the next call reads them again (a PUT here drops them at once). */
const SETTINGS_TTL_MS = 5_000;

interface ProviderResilience {
  registry: ResilienceRegistry;
  /** Forgets a workspace's cached settings and applies the new ones to its breakers and limiters. */
  invalidate(workspaceId: string): Promise<void>;
}

/**
 * The process's breakers and rate limiters, on the main thread: run workers reach them by RPC
 * (protocol.ts `resilience.*`), so every thread of the process shares one state per workspace and
 * provider. Across server processes, server.ts shares the breakers over Redis (redis-breaker-sync.ts)
 * when REDIS_URL is set; rate limits stay per process.
 */
export function providerResilience(): ProviderResilience {
  return processSingleton("provider-resilience", () => {
    const cache = new Map<string, { at: number; entries: Promise<Map<string, ProviderEntry>> }>();
    const entriesOf = (workspaceId: string) => {
      const hit = cache.get(workspaceId);
      if (hit && Date.now() - hit.at < SETTINGS_TTL_MS) return hit.entries;
      const entries = getDatabase()
        .then((db) => listProviderSettings(db, workspaceId))
        .then((list) => new Map(list.map((e) => [e.key, e])));
      // A failed read is not cached; the defaults apply to this call.
      entries.catch(() => cache.delete(workspaceId));
      cache.set(workspaceId, { at: Date.now(), entries });
      return entries;
    };
    const settings = async (workspaceId: string, key: string): Promise<ProviderSettings> => {
      const e = (await entriesOf(workspaceId).catch(() => undefined))?.get(key);
      if (!e) return DEFAULT_PROVIDER_SETTINGS;
      const { key: _key, ...rest } = e;
      return rest;
    };
    const registry = new ResilienceRegistry({ settings });
    return {
      registry,
      async invalidate(workspaceId) {
        cache.delete(workspaceId);
        await registry.refresh(workspaceId);
      },
    };
  });
}
