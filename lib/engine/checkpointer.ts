import { MemorySaver, type BaseCheckpointSaver } from "@langchain/langgraph";

/**
 * A LangGraph checkpointer from a target string:
 * - "memory": in process (lost on exit);
 * - "postgres://…" / "postgresql://…": PostgreSQL (tables created on first use, in `postgresSchema`
 *   when given, else "public");
 * - anything else: a SQLite file path ("file:" prefix allowed, ":memory:" too).
 */
export async function createCheckpointer(target: string, options: { postgresSchema?: string } = {}): Promise<BaseCheckpointSaver> {
  if (target === "memory") return new MemorySaver();
  if (/^postgres(ql)?:\/\//i.test(target)) {
    const { PostgresSaver } = await import("@langchain/langgraph-checkpoint-postgres");
    const saver = PostgresSaver.fromConnString(target, options.postgresSchema ? { schema: options.postgresSchema } : undefined);
    await saver.setup();
    return saver;
  }
  const { SqliteSaver } = await import("@langchain/langgraph-checkpoint-sqlite");
  return SqliteSaver.fromConnString(target.replace(/^file:(\/\/)?/, ""));
}

/** Closes a checkpointer's database connection (no-op for memory). */
export async function closeCheckpointer(saver: BaseCheckpointSaver): Promise<void> {
  const s = saver as unknown as { end?: () => Promise<void>; db?: { close?: () => void } };
  if (typeof s.end === "function") await s.end();
  else s.db?.close?.();
}
