import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import {
  WRITES_IDX_MAP,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type ChannelVersions,
  type PendingWrite,
} from "@langchain/langgraph-checkpoint";
import type { SerializerProtocol } from "@langchain/langgraph-checkpoint";
import type { RunnableConfig } from "@langchain/core/runnables";
import type pg from "pg";
import { GroupCommit, isPostgresConnectionLoss } from "./group-commit";

type BlobRow = [string, string, string, string, string, Uint8Array | undefined];
type WriteRow = [string, string, string, string, number, string, string, Uint8Array];

type Op =
  | { kind: "checkpoint"; blobs: BlobRow[]; row: [string, string, string, string | undefined, Record<string, unknown>, unknown] }
  | { kind: "writes"; upsert: boolean; rows: WriteRow[] };

/** How long "this thread has no checkpoint" may answer the next read of it (see knownEmpty). */
const KNOWN_EMPTY_MS = 2_000;

/** How many PostgreSQL commits of one saver run at once (each takes a pool connection). */
const MAX_IN_FLIGHT = 3;

/**
 * LangGraph's PostgresSaver, same tables and rows, writing with far fewer round trips: every
 * checkpoint, blob and task write queued in one event-loop turn (by all the runs of this thread) goes
 * to PostgreSQL as ONE statement (data-modifying CTEs over unnest'ed arrays: atomic by itself, one
 * commit, synchronous_commit as configured), where the original sends BEGIN, one INSERT per blob, the
 * checkpoint, COMMIT for every checkpoint and BEGIN, INSERTs, COMMIT for every task's writes. The
 * statements are named (prepared once per connection). Each caller resolves after its write is
 * committed; reads of a thread wait for its writes first.
 */
export class GroupCommitPostgresSaver extends PostgresSaver {
  private readonly group = new GroupCommit<Op>((ops) => this.commit(ops), MAX_IN_FLIGHT, isPostgresConnectionLoss);
  private readonly tables: { blobs: string; checkpoints: string; writes: string };

  constructor(
    private readonly writePool: pg.Pool,
    serde: SerializerProtocol | undefined,
    schema = "public",
  ) {
    super(namedReads(writePool), serde, { schema });
    const t = (name: string) => `"${schema.replace(/"/g, '""')}".${name}`;
    this.tables = { blobs: t("checkpoint_blobs"), checkpoints: t("checkpoints"), writes: t("checkpoint_writes") };
  }

  /** One statement for a batch: blobs, checkpoints, writes (upserted and inserted), in that order. */
  private async commit(ops: Op[]) {
    const blobs: BlobRow[] = [];
    const checkpoints: Extract<Op, { kind: "checkpoint" }>["row"][] = [];
    const upserts: WriteRow[] = [];
    const inserts: WriteRow[] = [];
    for (const op of ops) {
      if (op.kind === "checkpoint") {
        blobs.push(...op.blobs);
        checkpoints.push(op.row);
      } else (op.upsert ? upserts : inserts).push(...op.rows);
    }
    // ON CONFLICT DO UPDATE may not touch one row twice in a statement: keep the last of each key
    // (what the original's sequential upserts leave behind).
    const lastBy = <R>(rows: R[], key: (r: R) => string) => [...new Map(rows.map((r) => [key(r), r])).values()];
    const cps = lastBy(checkpoints, (r) => JSON.stringify([r[0], r[1], r[2]]));
    const ups = lastBy(upserts, (r) => JSON.stringify([r[0], r[1], r[2], r[3], r[4]]));
    const col = <R extends unknown[]>(rows: R[], i: number) => rows.map((r) => r[i] ?? null);
    const writeCols = (rows: WriteRow[]) => [0, 1, 2, 3, 4, 5, 6, 7].map((i) => col(rows, i));
    const parts: string[] = [];
    const values: unknown[] = [];
    const param = (v: unknown, type: string) => {
      values.push(v);
      return `$${values.length}::${type}`;
    };
    const writeTypes = ["text[]", "text[]", "text[]", "text[]", "int[]", "text[]", "text[]", "bytea[]"];
    const cols = "(thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob)";
    if (blobs.length) {
      const args = ["text[]", "text[]", "text[]", "text[]", "text[]", "bytea[]"].map((t, i) => param(col(blobs, i), t));
      parts.push(
        `INSERT INTO ${this.tables.blobs} (thread_id, checkpoint_ns, channel, version, type, blob) SELECT * FROM unnest(${args.join(", ")}) ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING`,
      );
    }
    if (cps.length) {
      const args = [
        param(col(cps, 0), "text[]"),
        param(col(cps, 1), "text[]"),
        param(col(cps, 2), "text[]"),
        param(col(cps, 3), "text[]"),
        param(
          cps.map((r) => JSON.stringify(r[4])),
          "jsonb[]",
        ),
        param(
          cps.map((r) => JSON.stringify(r[5])),
          "jsonb[]",
        ),
      ];
      parts.push(
        `INSERT INTO ${this.tables.checkpoints} (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata) SELECT * FROM unnest(${args.join(", ")}) ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata`,
      );
    }
    if (ups.length) {
      const args = writeCols(ups).map((c, i) => param(c, writeTypes[i]));
      parts.push(
        `INSERT INTO ${this.tables.writes} ${cols} SELECT * FROM unnest(${args.join(", ")}) ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob`,
      );
    }
    if (inserts.length) {
      const args = writeCols(inserts).map((c, i) => param(c, writeTypes[i]));
      parts.push(
        `INSERT INTO ${this.tables.writes} ${cols} SELECT * FROM unnest(${args.join(", ")}) ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO NOTHING`,
      );
    }
    if (!parts.length) return;
    // One statement: the CTEs and the final INSERT commit together (or not at all).
    const text =
      parts.length === 1
        ? parts[0]
        : `WITH ${parts
            .slice(0, -1)
            .map((p, i) => `w${i} AS (${p})`)
            .join(", ")} ${parts.at(-1)}`;
    const name = `aura_cp_${[blobs.length > 0, cps.length > 0, ups.length > 0, inserts.length > 0].map(Number).join("")}_${this.tables.checkpoints.length}`;
    await this.writePool.query({ name: `${name}_${hash(text)}`, text, values });
  }

  private settled(config: RunnableConfig | undefined) {
    return this.group.beforeRead(config?.configurable?.thread_id as string | undefined);
  }

  /** Resolves when every queued write is committed (closeCheckpointer waits for it). */
  drained(): Promise<void> {
    return this.group.flushAndDrain();
  }

  override async getTuple(config: RunnableConfig) {
    await this.settled(config);
    const c = config.configurable ?? {};
    // A run's first segment reads its thread twice (the worker's getState, then LangGraph's stream),
    // both finding nothing: the second read is answered from the first (see knownEmpty).
    const thread = !c.checkpoint_id && !c.checkpoint_ns ? (c.thread_id as string | undefined) : undefined;
    if (!thread) return super.getTuple(config);
    const knownUntil = this.knownEmpty.get(thread);
    if (knownUntil !== undefined && this.knownEmpty.delete(thread) && knownUntil > Date.now()) return undefined;
    const reading = { written: false };
    this.reading.set(thread, reading);
    try {
      const tuple = await super.getTuple(config);
      if (!tuple && !reading.written) this.rememberEmpty(thread);
      return tuple;
    } finally {
      if (this.reading.get(thread) === reading) this.reading.delete(thread);
    }
  }

  /**
   * Threads (root namespace) just read as having no checkpoint: the next latest-checkpoint read of the
   * thread within KNOWN_EMPTY_MS is answered "none" without a query, once. Any write of the thread
   * forgets it, and a write during the read keeps it from being remembered. Sound because a thread is
   * written only by the process that holds its run's lease, which is the one reading it.
   */
  private readonly knownEmpty = new Map<string, number>();
  /** Reads of a thread's latest checkpoint in flight, marked when the thread is written meanwhile. */
  private readonly reading = new Map<string, { written: boolean }>();

  /** Remembers an empty thread until now + KNOWN_EMPTY_MS (no timer per run: stale entries go when the map grows). */
  private rememberEmpty(thread: string) {
    const now = Date.now();
    if (this.knownEmpty.size >= 1000) for (const [t, until] of this.knownEmpty) if (until <= now) this.knownEmpty.delete(t);
    this.knownEmpty.set(thread, now + KNOWN_EMPTY_MS);
  }

  private wrote(threadId: string) {
    this.knownEmpty.delete(threadId);
    const r = this.reading.get(threadId);
    if (r) r.written = true;
  }

  override async *list(config: RunnableConfig, options?: CheckpointListOptions) {
    await this.settled(config);
    yield* super.list(config, options);
  }

  override async deleteThread(threadId: string) {
    this.wrote(threadId);
    await this.settled({ configurable: { thread_id: threadId } });
    return super.deleteThread(threadId);
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new Error(`Missing "configurable" field in "config" param`);
    const { thread_id, checkpoint_ns = "", checkpoint_id } = config.configurable as { thread_id: string; checkpoint_ns?: string; checkpoint_id?: string };
    const [blobs, serializedMetadata]: [BlobRow[], unknown] = await Promise.all([
      this._dumpBlobs(thread_id, checkpoint_ns, checkpoint.channel_values, newVersions),
      this._dumpMetadata(metadata) as Promise<unknown>,
    ]);
    this.wrote(thread_id);
    await this.group.write(thread_id, {
      kind: "checkpoint",
      blobs,
      row: [thread_id, checkpoint_ns, checkpoint.id, checkpoint_id, this._dumpCheckpoint(checkpoint), serializedMetadata],
    });
    return { configurable: { thread_id, checkpoint_ns, checkpoint_id: checkpoint.id } };
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const c = config.configurable ?? {};
    const upsert = writes.every((w) => w[0] in WRITES_IDX_MAP);
    const rows = await this._dumpWrites(c.thread_id as string, c.checkpoint_ns as string, c.checkpoint_id as string, taskId, writes);
    this.wrote(c.thread_id as string);
    await this.group.write(c.thread_id as string, { kind: "writes", upsert, rows });
  }
}

/** A short stable hash of a statement's text (prepared statement names must differ per text). */
function hash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/**
 * The pool as LangGraph's PostgresSaver sees it, with its parameterised reads (latest checkpoint,
 * history) sent as named statements: PostgreSQL parses and plans each once per connection instead of
 * on every read. Only the first 50 distinct texts get a name (list() with a LIMIT adds a text per
 * limit). Everything else is the pool itself.
 */
function namedReads(pool: pg.Pool): pg.Pool {
  const names = new Map<string, string>();
  const query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    if (typeof text !== "string" || !Array.isArray(values) || !values.length)
      return (pool.query as (...a: unknown[]) => unknown).apply(pool, [text, values, ...rest]);
    let name = names.get(text);
    if (name === undefined && names.size < 50) names.set(text, (name = `aura_cp_read_${names.size}`));
    return pool.query(name ? { name, text, values } : { text, values });
  };
  return new Proxy(pool, {
    get(target, prop) {
      if (prop === "query") return query;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
