import "server-only";

/**
 * What a queue-mode worker process needs before it takes jobs: the credential key (runs decrypt
 * credentials), the migrated database, the run event store, and the run manager (worker threads,
 * lease sweeps that take over the runs of dead workers). No accounts, schedules or retention: web
 * processes own those.
 */
export async function startWorkerBackend(): Promise<{ recovered: number }> {
  const { prepareDatabase } = await import("@/lib/db/prepare");
  const { getDatabase } = await import("@/lib/db/database");
  const { createDbRunEventSource } = await import("@/lib/db/run-events");
  const { registerRunEventSource } = await import("@/lib/realtime/registry");
  const { getRunManager } = await import("@/lib/server/runs/manager");
  const { encryptionKey } = await import("@/lib/auth/crypto/encryption-key");
  encryptionKey();
  await prepareDatabase();
  registerRunEventSource(createDbRunEventSource(getDatabase));
  const started = await getRunManager().start();
  // "Ready" means ready to execute: the run threads have loaded the engine (seconds of CPU on a cold
  // start). Jobs taken before would only wait for them, and a bench would count the load as run cost.
  await getRunManager().ready();
  return started;
}
