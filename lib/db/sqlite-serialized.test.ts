// On SQLite's one connection, a plain statement issued while another request's interactive
// transaction is open must neither run inside it (its write would be rolled back with it) nor see
// its uncommitted rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./testing";
import { executeRaw, queryRaw } from "./raw-sql";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("sqlite");
  await executeRaw(t.db, `CREATE TABLE probe (name TEXT PRIMARY KEY)`, []);
});
afterAll(async () => t?.drop());

const names = async () => (await queryRaw(t.db, `SELECT name FROM probe ORDER BY name`, [])).map((r) => String(r.name));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A transaction that inserts `row`, lets `other` start (another request) and waits until that has
 * answered or 500 ms have passed, then fails and rolls back. Returns the error message and what
 * `other` answered.
 */
async function failingTransactionAround<T>(row: string, other: () => Promise<T>): Promise<{ error: string; other: T }> {
  let started!: Promise<T>;
  const error = await t.db.prisma
    .$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`INSERT INTO probe (name) VALUES ('${row}')`);
      started = other();
      await Promise.race([started, sleep(500)]);
      throw new Error("the transaction fails");
    })
    .catch((e: Error) => e.message);
  return { error, other: await started };
}

describe("SQLite: plain statements and an open transaction", () => {
  it("a plain write made while a transaction is open survives that transaction's rollback", async () => {
    const r = await failingTransactionAround("tx", () => executeRaw(t.db, `INSERT INTO probe (name) VALUES ('plain')`, []));
    expect(r).toEqual({ error: "the transaction fails", other: 1 });
    expect(await names()).toEqual(["plain"]);
  });

  it("a plain read made while a transaction is open never sees its uncommitted rows", async () => {
    const r = await failingTransactionAround("ghost", names);
    expect(r).toEqual({ error: "the transaction fails", other: ["plain"] });
  });

  it("transactions still take turns and plain statements go on between them", async () => {
    const results = await Promise.all([
      t.db.prisma.$transaction(async (tx) => {
        await sleep(20);
        return tx.$executeRawUnsafe(`INSERT INTO probe (name) VALUES ('t1')`);
      }),
      executeRaw(t.db, `INSERT INTO probe (name) VALUES ('p1')`, []),
      t.db.prisma.$transaction([t.db.prisma.$executeRawUnsafe(`INSERT INTO probe (name) VALUES ('t2')`)]),
      executeRaw(t.db, `INSERT INTO probe (name) VALUES ('p2')`, []),
    ]);
    expect(results.flat()).toEqual([1, 1, 1, 1]);
    expect(await names()).toEqual(["p1", "p2", "plain", "t1", "t2"]);
  });
});
