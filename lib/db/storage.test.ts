// Table sizes on SQLite come from dbstat in a worker thread (a walk of every page must not stop the
// server's event loop); they must be what the same query gives on the server's own connection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./testing";
import { queryRaw } from "./raw-sql";
import { tableSizes } from "./storage";

describe("tableSizes on SQLite", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    await t.drop();
  });

  it("reads dbstat off the main thread and reports what the server's connection would", async () => {
    // Some rows, so the tables differ in size.
    await queryRaw(t.db, `CREATE TABLE bulk (v TEXT)`, []);
    for (let i = 0; i < 50; i++) await queryRaw(t.db, `INSERT INTO bulk (v) VALUES ($1)`, ["x".repeat(2000)]);
    const inThread = await queryRaw(
      t.db,
      `SELECT COALESCE(m.tbl_name, s.name) AS t, SUM(s.pgsize) AS b FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name
       GROUP BY COALESCE(m.tbl_name, s.name) ORDER BY b DESC`,
      [],
    );
    const sizes = await tableSizes(t.db, "public");
    expect(sizes.find((s) => s.table === "bulk")?.bytes).toBeGreaterThan(100_000);
    expect(new Map(sizes.map((s) => [s.table, s.bytes]))).toEqual(new Map(inThread.map((r) => [String(r.t), Number(r.b)])));
  });

  it("says why when the file cannot be read", async () => {
    const missing = { ...t.db, url: "file:/nonexistent/aura-missing.db" };
    await expect(tableSizes(missing, "public")).rejects.toThrow(/unable to open|directory does not exist|no such file/i);
  });
});
