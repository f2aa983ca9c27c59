import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveDatabaseConfig } from "./config";
import { committedMigrations, migrateChildEntry, migrateDatabase } from "./migrate";

describe("migrations in a child process", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "aura-migrate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the bundled child beside the running bundle, else the source one of the app", () => {
    const dist = path.join(dir, "dist");
    mkdirSync(dist);
    writeFileSync(path.join(dist, "migrate-child.js"), "");
    expect(migrateChildEntry(path.join(dist, "server.js"), process.cwd())).toBe(path.join(dist, "migrate-child.js"));
    expect(migrateChildEntry(path.join(dir, "elsewhere.js"), process.cwd())).toBe(path.join(process.cwd(), "lib", "db", "migrate-child.mjs"));
    expect(migrateChildEntry(undefined, dir)).toBeNull();
  });

  it("applies every committed migration to a new SQLite file, and nothing the second time", async () => {
    const config = resolveDatabaseConfig(`file:${path.join(dir, "fresh.db")}`);
    const first = await migrateDatabase(config);
    expect(first.applied).toEqual(committedMigrations("sqlite"));
    expect((await migrateDatabase(config)).applied).toEqual([]);
  });

  it("passes the engine's failure on with its message", async () => {
    // A database file that is not one: the engine cannot open it.
    const file = path.join(dir, "not-a-database.db");
    writeFileSync(file, "this is not an SQLite file, it is long enough to have a header".repeat(20));
    await expect(migrateDatabase(resolveDatabaseConfig(`file:${file}`))).rejects.toThrow(/not a database|file is not a database|Applying migrations failed/i);
  });
});
