import { MemorySaver, type BaseCheckpointSaver } from "@langchain/langgraph";
import { PlainJsonSerializer } from "./plain-json-serde";

/**
 * A LangGraph checkpointer from a target string:
 * - "memory": in process (lost on exit);
 * - "postgres://…" / "postgresql://…": PostgreSQL (tables created on first use, in `postgresSchema`
 *   when given, else "public");
 * - anything else: a SQLite file path ("file:" prefix allowed, ":memory:" too).
 * Every one stores state as plain JSON (PlainJsonSerializer): nothing in a checkpoint is revived into a class.
 */
export async function createCheckpointer(target: string, options: { postgresSchema?: string } = {}): Promise<BaseCheckpointSaver> {
  const serde = new PlainJsonSerializer();
  if (target === "memory") return new MemorySaver(serde);
  if (/^postgres(ql)?:\/\//i.test(target)) {
    const [{ GroupCommitPostgresSaver }, { default: pg }] = await Promise.all([import("./checkpointers/postgres-saver"), import("pg")]);
    // What PostgresSaver.fromConnString does, plus our serializer (fromConnString takes none).
    const saver = new GroupCommitPostgresSaver(new pg.Pool({ connectionString: target }), serde, options.postgresSchema);
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
