import "server-only";

/**
 * Everything the server needs before it takes requests: the database schema, the run event store the
 * realtime layer replays from, the run workers (unfinished runs resume from their last checkpoint) and
 * the cron schedules. Called once by server.ts (and by tests/children that start a real backend).
 */
export async function startBackend(): Promise<void> {
  const { prepareDatabase } = await import("@/lib/db/prepare");
  const { getDatabase } = await import("@/lib/db/database");
  const { createDbRunEventSource } = await import("@/lib/db/run-events");
  const { registerRunEventSource } = await import("@/lib/realtime/registry");
  const { getRunManager } = await import("@/lib/server/runs/manager");
  const { startScheduler } = await import("@/lib/server/triggers/scheduler");
  const { bootstrapAccounts } = await import("@/lib/auth/setup");
  const { encryptionKey } = await import("@/lib/auth/crypto/encryption-key");
  // The credential key is read (or generated) before anything else: a malformed AURA_ENCRYPTION_KEY
  // or a key file others can read stops the start with a message that says how to fix it.
  encryptionKey();
  const db = await prepareDatabase();
  // The owner from AURA_OWNER_EMAIL/PASSWORD (and AURA_BOOTSTRAP_TOKEN) on an empty database, or the setup token in the log.
  await bootstrapAccounts(db, (msg, fields) => console.log(JSON.stringify({ level: "info", msg, ...fields })));
  registerRunEventSource(createDbRunEventSource(getDatabase));
  const { recovered } = await getRunManager().start();
  if (recovered) console.log(JSON.stringify({ level: "info", msg: "unfinished runs resumed", count: recovered }));
  await startScheduler();
  const { startRetention } = await import("@/lib/server/retention/service");
  startRetention();
}

/** Stops the run workers (in-flight runs stay resumable) and the schedules. */
export async function stopBackend(): Promise<void> {
  const { shutdownRunManager } = await import("@/lib/server/runs/manager");
  const { stopScheduler } = await import("@/lib/server/triggers/scheduler");
  const { stopRetention } = await import("@/lib/server/retention/service");
  stopScheduler();
  stopRetention();
  await shutdownRunManager();
}
