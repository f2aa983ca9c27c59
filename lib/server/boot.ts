import "server-only";

/**
 * Everything the server needs before it takes requests: today, the database schema.
 * Called once by server.ts (and by tests that start a real server).
 */
export async function startBackend(): Promise<void> {
  const { prepareDatabase } = await import("@/lib/db/prepare");
  await prepareDatabase();
}
