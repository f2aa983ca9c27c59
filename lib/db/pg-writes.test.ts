import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "./testing";
import { queryAtomicallyOnPostgres } from "./pg-writes";
import { writeAtomically } from "./sqlite-writes";
import { isUniqueViolation } from "./workflows";

const ready = await postgresAvailable();

// The run hot path's PostgreSQL writes: pipelined transactions on a pool of their own (pg-writes.ts).
describe.skipIf(!ready)("writeAtomically on PostgreSQL", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
  });
  afterAll(async () => {
    await t?.drop();
  });

  const setting = (key: string, value = "v") => ({
    sql: `INSERT INTO "ServerSetting" ("key", "value", "createdAt") VALUES ($1, $2, $3)`,
    params: [key, value, new Date("2026-12-01T10:00:00.123Z")],
  });
  const stored = async (key: string) => (await t.db.prisma.serverSetting.findUnique({ where: { key } })) ?? null;

  it("writes several statements in one transaction and says how many rows each changed", async () => {
    const update = { sql: `UPDATE "ServerSetting" SET "value" = $1 WHERE "key" LIKE $2`, params: ["w", "pair%"] };
    expect(await writeAtomically(t.db, [setting("pair1"), setting("pair2"), update])).toEqual([1, 1, 2]);
    // Dates go in as UTC, as Prisma writes them (node-postgres alone would write local time).
    expect(await stored("pair1")).toMatchObject({ value: "w", createdAt: new Date("2026-12-01T10:00:00.123Z") });
  });

  it("reads rows back with timestamps as the UTC they were written as, whatever the process's time zone", async () => {
    await writeAtomically(t.db, [setting("when")]);
    const tz = process.env.TZ;
    process.env.TZ = "America/New_York"; // node-postgres alone would read the column as New York time
    try {
      const [[row]] = await queryAtomicallyOnPostgres<{ createdAt: Date; value: string }>(t.db, [
        { sql: `SELECT "createdAt", "value" FROM "ServerSetting" WHERE "key" = $1`, params: ["when"] },
      ]);
      expect(row).toEqual({ createdAt: new Date("2026-12-01T10:00:00.123Z"), value: "v" });
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it("writes all statements or none, with an error isUniqueViolation knows", async () => {
    const failed = await writeAtomically(t.db, [setting("dup"), setting("other"), setting("dup")]).catch((e: unknown) => e);
    expect(isUniqueViolation(failed)).toBe(true);
    expect(await stored("dup")).toBeNull();
    expect(await stored("other")).toBeNull();
  });

  it("leaves no transaction open behind a failed one: the connections' next writes commit", async () => {
    // More failures than the pool has connections, then writes on the same connections.
    await Promise.all(Array.from({ length: 8 }, () => writeAtomically(t.db, [setting("pair1"), setting("never")]).catch(() => {})));
    await Promise.all(Array.from({ length: 8 }, (_, i) => writeAtomically(t.db, [setting(`after${i}`), setting(`after${i}b`)])));
    expect(await stored("never")).toBeNull();
    expect(await t.db.prisma.serverSetting.count({ where: { key: { startsWith: "after" } } })).toBe(16);
  });

  it("makes concurrent claims take turns under the advisory lock (no slot given twice)", async () => {
    // As claimRun does: a slot is taken only while fewer than 3 are, counted in other rows than the one
    // written, so only the lock (held from its statement to COMMIT) keeps 20 concurrent claims at 3.
    const claim = (i: number) =>
      writeAtomically(t.db, [
        { sql: `SELECT pg_advisory_xact_lock(hashtext($1))`, params: ["slots"] },
        {
          sql: `INSERT INTO "ServerSetting" ("key", "value", "createdAt") SELECT $1, 'v', now() WHERE (SELECT COUNT(*) FROM "ServerSetting" WHERE "key" LIKE 'slot-%') < $2`,
          params: [`slot-${i}`, 3],
        },
      ]);
    const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(i)));
    expect(counts.filter((c) => c.at(-1) === 1)).toHaveLength(3);
    expect(await t.db.prisma.serverSetting.count({ where: { key: { startsWith: "slot-" } } })).toBe(3);
  });
});
