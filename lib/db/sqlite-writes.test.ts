import { afterAll, beforeAll, describe, expect, it } from "vitest";
import BetterSqlite3 from "better-sqlite3";
import { createTestDatabase, type TestDatabase } from "./testing";
import { writeAtomically, WriteLockTimeout } from "./sqlite-writes";
import { isDatabaseUnavailable } from "./client-errors";

// The run hot path's SQLite writes wait for the write lock without stopping the event loop.
describe("writeAtomically on SQLite", () => {
  let t: TestDatabase;
  let other: BetterSqlite3.Database;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    // Another connection (as a worker thread's checkpointer is) that will hold the write lock.
    other = new BetterSqlite3(t.db.url.replace(/^file:/, ""));
  });
  afterAll(async () => {
    other?.close();
    await t?.drop();
  });

  const setting = (key: string) => ({
    sql: `INSERT INTO "ServerSetting" ("key", "value", "createdAt") VALUES ($1, $2, $3)`,
    params: [key, "v", new Date("2026-12-01T10:00:00.000Z")],
  });
  const stored = async (key: string) => (await t.db.prisma.serverSetting.findUnique({ where: { key } }))?.value ?? null;

  it("waits for a lock held elsewhere while timers keep firing, then writes", async () => {
    other.prepare("BEGIN IMMEDIATE").run();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    const write = writeAtomically(t.db, [setting("locked")]);
    await new Promise((r) => setTimeout(r, 60));
    // Still waiting (the lock is held), and the event loop went on meanwhile.
    expect(await stored("locked")).toBeNull();
    expect(ticks).toBeGreaterThan(5);
    other.prepare("COMMIT").run();
    expect(await write).toEqual([1]);
    clearInterval(timer);
    expect(await stored("locked")).toBe("v");
  });

  it("writes all statements or none", async () => {
    await expect(writeAtomically(t.db, [setting("first"), setting("first")])).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" });
    expect(await stored("first")).toBeNull();
    expect(await writeAtomically(t.db, [setting("a"), setting("b")])).toEqual([1, 1]);
    expect([await stored("a"), await stored("b")]).toEqual(["v", "v"]);
  });

  it("gives up after its wait with an error that says the database is briefly out of reach", async () => {
    other.prepare("BEGIN IMMEDIATE").run();
    try {
      const failed = await writeAtomically(t.db, [setting("never")], { lockWaitMs: 50 }).catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(WriteLockTimeout);
      // As Prisma's SQLite adapter reports a busy timeout: settles and event writes try again.
      expect(isDatabaseUnavailable(failed)).toBe(true);
    } finally {
      other.prepare("ROLLBACK").run();
    }
    expect(await stored("never")).toBeNull();
  });
});
