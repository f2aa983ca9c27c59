import { describe, expect, it } from "vitest";
import pg from "pg";
import { emptyCheckpoint } from "@langchain/langgraph-checkpoint";
import { closeCheckpointer, createCheckpointer } from "..";

const POSTGRES_URL = process.env.AURA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA = "aura_pg_saver_test";

describe("GroupCommitPostgresSaver reads (when PostgreSQL is reachable)", () => {
  it("a thread read as empty, then written, is read with its checkpoint (named reads, the empty answer forgotten)", async (ctx) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1500 });
    try {
      await client.connect();
    } catch {
      ctx.skip();
    }
    await client.query(`create schema if not exists ${SCHEMA}`);
    const saver = await createCheckpointer(POSTGRES_URL, { postgresSchema: SCHEMA });
    const config = { configurable: { thread_id: `t-${Date.now()}-${Math.random()}`, checkpoint_ns: "" } };
    try {
      expect(await saver.getTuple(config)).toBeUndefined();
      const checkpoint = emptyCheckpoint();
      await saver.put(config, checkpoint, { source: "input", step: -1, parents: {} }, {});
      // Twice: the second read runs the named statement the first one prepared.
      for (let i = 0; i < 2; i++) expect((await saver.getTuple(config))?.checkpoint.id).toBe(checkpoint.id);
      const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${SCHEMA}.checkpoints WHERE thread_id = $1`, [
        config.configurable.thread_id,
      ]);
      expect(Number(rows[0].n)).toBe(1);
    } finally {
      await closeCheckpointer(saver);
      await client.end().catch(() => {});
    }
  }, 30_000);

  it("two reads of an empty thread: the second is answered without a query", async (ctx) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1500 });
    try {
      await client.connect();
    } catch {
      ctx.skip();
    }
    await client.query(`create schema if not exists ${SCHEMA}`);
    const saver = await createCheckpointer(POSTGRES_URL, { postgresSchema: SCHEMA });
    const pool = (saver as unknown as { writePool: pg.Pool }).writePool;
    let queries = 0;
    const count = () => queries++;
    const conn = await pool.connect();
    conn.release();
    pool.on("acquire", count);
    const config = { configurable: { thread_id: `t-${Date.now()}-${Math.random()}` } };
    try {
      expect(await saver.getTuple(config)).toBeUndefined();
      expect(queries).toBe(1);
      expect(await saver.getTuple(config)).toBeUndefined();
      expect(queries).toBe(1);
      expect(await saver.getTuple(config)).toBeUndefined(); // answered once only: this one asks again
      expect(queries).toBe(2);
    } finally {
      pool.off("acquire", count);
      await closeCheckpointer(saver);
      await client.end().catch(() => {});
    }
  }, 30_000);
});
