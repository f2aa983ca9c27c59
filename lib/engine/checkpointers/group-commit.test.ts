import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { closeCheckpointer, collectRun, compileWorkflow, createCheckpointer, createDefaultServices } from "..";
import { buildWorkflow, type NodeSpec } from "../testing";
import { GroupCommit, isPostgresConnectionLoss } from "./group-commit";

const POSTGRES_URL = process.env.AURA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

describe("GroupCommit", () => {
  it("commits the writes of one event-loop turn together and resolves each only after its commit", async () => {
    const committed: string[][] = [];
    const group = new GroupCommit<string>((ops) => void committed.push([...ops]));
    let resolvedBeforeCommit = false;
    const writes = ["a", "b", "c"].map((op, i) =>
      group.write(`t${i}`, op).then(() => {
        if (!committed.flat().includes(op)) resolvedBeforeCommit = true;
      }),
    );
    expect(committed).toEqual([]); // nothing is written in the caller's turn
    await Promise.all(writes);
    expect(committed).toEqual([["a", "b", "c"]]);
    expect(resolvedBeforeCommit).toBe(false);
  });

  it("a failing write fails only its own caller (the batch is retried one by one)", async () => {
    const committed: string[] = [];
    const group = new GroupCommit<string>((ops) => {
      if (ops.includes("bad")) throw new Error("constraint");
      committed.push(...ops);
    });
    const results = await Promise.allSettled(["x", "bad", "y"].map((op) => group.write("t", op)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(committed).toEqual(["x", "y"]);
  });

  it("a read waits for the writes of its thread", async () => {
    let done = false;
    const group = new GroupCommit<string>(async () => {
      await new Promise((r) => setTimeout(r, 20));
      done = true;
    }, 2);
    void group.write("t1", "a");
    await group.settledFor("t1");
    expect(done).toBe(true);
    await group.settledFor("other"); // nothing pending: at once
  });

  it("while the database is out of reach the batch is tried again until it commits; other errors fail at once", async () => {
    let calls = 0;
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const group = new GroupCommit<string>(
      async () => {
        if (++calls <= 3) throw refused;
      },
      1,
      isPostgresConnectionLoss,
    );
    await expect(group.write("t1", "a")).resolves.toBeUndefined();
    expect(calls).toBe(4);

    const broken = new GroupCommit<string>(
      async () => {
        throw Object.assign(new Error("duplicate key"), { code: "23505" });
      },
      1,
      isPostgresConnectionLoss,
    );
    await expect(broken.write("t1", "a")).rejects.toThrow("duplicate key");
    expect(isPostgresConnectionLoss(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isPostgresConnectionLoss(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isPostgresConnectionLoss(new Error("syntax error"))).toBe(false);
  });
});

/** Start → 5 Set fields steps (counter + 1) → Output, a checkpoint after every step (not one for the fused chain). */
function counterWorkflow() {
  const steps: NodeSpec[] = Array.from({ length: 5 }, (_, i) => [
    `s${i}`,
    "set-fields",
    { assignments: [{ field: "counter", expression: "counter + 1", type: "number" }] },
  ]);
  const doc = buildWorkflow(
    [["start", "start", { fields: [{ name: "counter", type: "number", required: true }] }], ...steps, ["out", "output", { value: "{{counter}}" }]],
    ["start->s0", ...steps.slice(1).map((_, i) => `s${i}->s${i + 1}`), "s4->out"],
  );
  return { ...doc, settings: { ...doc.settings, checkpointEachStep: true } };
}

/** Eight concurrent durable runs through a checkpointer; returns their thread ids. */
async function concurrentRuns(target: string, options: { postgresSchema?: string } = {}): Promise<string[]> {
  const saver = await createCheckpointer(target, options);
  const compiled = compileWorkflow(counterWorkflow(), createDefaultServices());
  const ids = Array.from({ length: 8 }, (_, i) => `gc-${Date.now()}-${i}`);
  try {
    const outcomes = await Promise.all(ids.map((runId) => collectRun(compiled, { runId, input: { counter: 0 }, checkpointer: saver, durability: "sync" })));
    expect(outcomes.map((o) => o.outcome.status)).toEqual(ids.map(() => "succeeded"));
    // Read back through the same saver (reads wait for queued writes): every run's final state.
    for (const runId of ids) {
      const state = await compiled.graph(saver).getState({ configurable: { thread_id: runId } });
      expect((state.values as { counter: number }).counter).toBe(5);
    }
  } finally {
    await closeCheckpointer(saver);
  }
  return ids;
}

describe("group-committed checkpointers", () => {
  it("SQLite: every step of concurrent runs is stored, readable by another connection after the run", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "aura-gc-")), "checkpoints.db");
    const ids = await concurrentRuns(file);
    const db = new Database(file, { readonly: true });
    try {
      for (const id of ids) {
        const { n } = db.prepare("SELECT COUNT(*) AS n FROM checkpoints WHERE thread_id = ?").get(id) as { n: number };
        expect(n).toBeGreaterThanOrEqual(7); // input, start, 5 steps, output
        const writes = db.prepare("SELECT COUNT(*) AS n FROM writes WHERE thread_id = ?").get(id) as { n: number };
        expect(writes.n).toBeGreaterThan(0);
      }
    } finally {
      db.close();
    }
  }, 30_000);

  it("PostgreSQL (when reachable): same, through one statement per batch", async (ctx) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1500 });
    try {
      await client.connect();
    } catch {
      ctx.skip();
    }
    try {
      await client.query("create schema if not exists aura_group_commit_test");
      const ids = await concurrentRuns(POSTGRES_URL, { postgresSchema: "aura_group_commit_test" });
      const { rows } = await client.query<{ thread_id: string; n: string }>(
        "SELECT thread_id, COUNT(*) AS n FROM aura_group_commit_test.checkpoints WHERE thread_id = ANY($1) GROUP BY thread_id",
        [ids],
      );
      expect(rows).toHaveLength(ids.length);
      for (const r of rows) expect(Number(r.n)).toBeGreaterThanOrEqual(7);
      const blobs = await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM aura_group_commit_test.checkpoint_blobs WHERE thread_id = ANY($1)", [ids]);
      expect(Number(blobs.rows[0].n)).toBeGreaterThan(0);
    } finally {
      await client.end().catch(() => {});
    }
  }, 30_000);
});
