import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import {
  copyCheckpoint,
  WRITES_IDX_MAP,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type PendingWrite,
} from "@langchain/langgraph-checkpoint";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { Database, Statement } from "better-sqlite3";
import type { SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { GroupCommit } from "./group-commit";

type Row = unknown[];
/** One write: the statement to run ("checkpoint", "upsert" or "insert" writes) and its rows. */
interface Op {
  sql: "checkpoint" | "upsertWrite" | "insertWrite";
  rows: Row[];
}

/**
 * LangGraph's SqliteSaver, same tables and rows, with two costs removed: statements are prepared once
 * (the original prepares on every write), and the writes of all runs in one event-loop turn commit in
 * ONE transaction (group-commit.ts), each caller resolved only after its write is committed. Reads
 * first commit what is queued and wait for the thread's writes, so a read always sees them.
 */
export class GroupCommitSqliteSaver extends SqliteSaver {
  private statements?: Record<Op["sql"], Statement>;
  private readonly group = new GroupCommit<Op>((ops) => this.commit(ops));

  constructor(db: Database, serde?: SerializerProtocol) {
    super(db, serde);
  }

  private prepared(): Record<Op["sql"], Statement> {
    this.setup();
    const cols = "(thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    return (this.statements ??= {
      checkpoint: this.db.prepare(
        "INSERT OR REPLACE INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      upsertWrite: this.db.prepare(`INSERT OR REPLACE INTO writes ${cols}`),
      insertWrite: this.db.prepare(`INSERT OR IGNORE INTO writes ${cols}`),
    });
  }

  private commit(ops: Op[]) {
    const s = this.prepared();
    this.db.transaction(() => {
      for (const op of ops) for (const row of op.rows) s[op.sql].run(...row);
    })();
  }

  private settled(config: RunnableConfig) {
    return this.group.beforeRead(config?.configurable?.thread_id as string | undefined);
  }

  /** Resolves when every queued write is committed (closeCheckpointer waits for it). */
  drained(): Promise<void> {
    return this.group.flushAndDrain();
  }

  override async getTuple(config: RunnableConfig) {
    await this.settled(config);
    return super.getTuple(config);
  }

  override async *list(config: RunnableConfig, options?: CheckpointListOptions) {
    await this.settled(config);
    yield* super.list(config, options);
  }

  override async deleteThread(threadId: string) {
    await this.settled({ configurable: { thread_id: threadId } });
    return super.deleteThread(threadId);
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): Promise<RunnableConfig> {
    const threadId = config.configurable?.thread_id as string | undefined;
    if (!threadId) throw new Error(`Missing "thread_id" field in passed "config.configurable".`);
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    const [[type1, serializedCheckpoint], [type2, serializedMetadata]] = await Promise.all([
      this.serde.dumpsTyped(copyCheckpoint(checkpoint)),
      this.serde.dumpsTyped(metadata),
    ]);
    if (type1 !== type2) throw new Error("Failed to serialized checkpoint and metadata to the same type.");
    const row = [threadId, ns, checkpoint.id, config.configurable?.checkpoint_id, type1, serializedCheckpoint, serializedMetadata];
    await this.group.write(threadId, { sql: "checkpoint", rows: [row] });
    return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpoint.id } };
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const c = config.configurable as { thread_id?: string; checkpoint_ns?: string; checkpoint_id?: string } | undefined;
    if (!c?.thread_id) throw new Error("Missing thread_id field in config.configurable.");
    if (!c.checkpoint_id) throw new Error("Missing checkpoint_id field in config.configurable.");
    const allSpecial = writes.every(([channel]) => channel in WRITES_IDX_MAP);
    const rows = await Promise.all(
      writes.map(async ([channel, value], idx): Promise<Row> => {
        const [type, serialized] = await this.serde.dumpsTyped(value);
        return [c.thread_id, c.checkpoint_ns, c.checkpoint_id, taskId, WRITES_IDX_MAP[channel] ?? idx, channel, type, serialized];
      }),
    );
    await this.group.write(c.thread_id, { sql: allSpecial ? "upsertWrite" : "insertWrite", rows });
  }
}
