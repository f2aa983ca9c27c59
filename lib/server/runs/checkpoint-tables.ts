import "server-only";
import { closeCheckpointer, createCheckpointer } from "@/lib/engine/checkpointer";
import type { Database } from "@/lib/db/client";

/** PostgreSQL schema of the LangGraph checkpoint tables (kept apart from Prisma's tables). */
export const CHECKPOINT_SCHEMA = "aura_checkpoints";

/** Where the workers keep LangGraph checkpoints: the app's own database. */
export function checkpointTarget(db: Database): string {
  return db.provider === "sqlite" ? db.url.replace(/^file:/, "") : db.url;
}

/**
 * A function that creates the PostgreSQL checkpoint tables once per database (a failure is tried
 * again next time), on the main thread, so that workers do not race to create them. SQLite: nothing.
 */
export function checkpointTablesSetup(): (db: Database) => Promise<void> {
  const setups = new Map<string, Promise<void>>();
  return (db) => {
    if (db.provider !== "postgresql") return Promise.resolve();
    let p = setups.get(db.url);
    if (!p) {
      p = createCheckpointer(db.url, { postgresSchema: CHECKPOINT_SCHEMA }).then(closeCheckpointer);
      setups.set(db.url, p);
      p.catch(() => setups.delete(db.url));
    }
    return p;
  };
}
