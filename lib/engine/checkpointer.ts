import { MemorySaver, type BaseCheckpointSaver } from "@langchain/langgraph";
import { PlainJsonSerializer } from "./plain-json-serde";
import { signalSavedWrites } from "./saved-writes";

/**
 * A LangGraph checkpointer from a target string:
 * - "memory": in process (lost on exit);
 * - "postgres://…" / "postgresql://…": PostgreSQL (tables created on first use, in `postgresSchema`
 *   when given, else "public");
 * - anything else: a SQLite file path ("file:" prefix allowed, ":memory:" too).
 * Every one stores state as plain JSON (PlainJsonSerializer): nothing in a checkpoint is revived into a class.
 */
export async function createCheckpointer(target: string, options: { postgresSchema?: string } = {}): Promise<BaseCheckpointSaver> {
  // Every one tells when a task's writes are saved, so a node says "finished" only then (saved-writes.ts).
  return signalSavedWrites(await openCheckpointer(target, options));
}

async function openCheckpointer(target: string, options: { postgresSchema?: string }): Promise<BaseCheckpointSaver> {
  const serde = new PlainJsonSerializer();
  if (target === "memory") return new MemorySaver(serde);
  if (/^postgres(ql)?:\/\//i.test(target)) {
    const [{ GroupCommitPostgresSaver }, { default: pg }] = await Promise.all([import("./checkpointers/postgres-saver"), import("pg")]);
    // What PostgresSaver.fromConnString does, plus our serializer (fromConnString takes none).
    const pool = new pg.Pool({ connectionString: target, connectionTimeoutMillis: 5_000 });
    // An idle connection cut by a database restart emits "error" on the pool; unheard, it would kill the
    // thread. The pool drops that client and the next query opens a new one.
    pool.on("error", () => {});
    const saver = new GroupCommitPostgresSaver(pool, serde, options.postgresSchema);
    await saver.setup();
    return saver;
  }
  const [{ GroupCommitSqliteSaver }, { default: Database }] = await Promise.all([import("./checkpointers/sqlite-saver"), import("better-sqlite3")]);
  return new GroupCommitSqliteSaver(new Database(target.replace(/^file:(\/\/)?/, "")), serde);
}

/** Closes a checkpointer's database connection (no-op for memory). */
export async function closeCheckpointer(saver: BaseCheckpointSaver): Promise<void> {
  const s = saver as unknown as { end?: () => Promise<void>; db?: { close?: () => void }; drained?: () => Promise<void> };
  // Group-committed writes still queued go in before the connection closes.
  await s.drained?.().catch(() => {});
  if (typeof s.end === "function") await s.end();
  else s.db?.close?.();
}
