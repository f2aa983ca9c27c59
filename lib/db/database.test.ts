import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveDatabaseConfig } from "./config";
import { getDatabase, openPreparedDatabase, prepareDatabase, setDatabase } from "./database";
import { pingDatabase } from "./client";
import { DEFAULT_WORKSPACE_ID } from "./workspaces";
import { checkHealth } from "@/lib/server/health";

describe("database config", () => {
  it("reads SQLite and PostgreSQL URLs", () => {
    expect(resolveDatabaseConfig(undefined)).toMatchObject({ provider: "sqlite", file: path.resolve("data/aura.db") });
    expect(resolveDatabaseConfig("file:./x/y.db")).toEqual({ provider: "sqlite", url: `file:${path.resolve("x/y.db")}`, file: path.resolve("x/y.db") });
    expect(resolveDatabaseConfig("/tmp/z.db").file).toBe("/tmp/z.db");
    expect(resolveDatabaseConfig("postgresql://u@h:5432/d")).toEqual({ provider: "postgresql", url: "postgresql://u@h:5432/d" });
    expect(resolveDatabaseConfig("postgres://u@h/d").provider).toBe("postgresql");
    expect(() => resolveDatabaseConfig("mysql://u:secret@h/d")).toThrow(/\*\*\*@h/);
  });
});

describe("migrate-on-start from DATABASE_URL", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "aura-start-"));
  const previous = process.env.DATABASE_URL;
  afterAll(async () => {
    const db = await getDatabase().catch(() => null);
    await db?.close();
    setDatabase(null);
    process.env.DATABASE_URL = previous;
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the directory and file, migrates, creates the default workspace; health says sqlite", async () => {
    process.env.DATABASE_URL = `file:${path.join(dir, "nested", "app.db")}`;
    setDatabase(null);
    const db = await prepareDatabase();
    expect(db.provider).toBe("sqlite");
    expect(await getDatabase()).toBe(db); // one per process
    await pingDatabase(db);
    expect(await db.prisma.workspace.findUnique({ where: { id: DEFAULT_WORKSPACE_ID } })).not.toBeNull();
    expect(await checkHealth()).toEqual({ ok: true, db: "sqlite", mode: "development" });
  });

  it("is idempotent and fast when there is nothing to migrate", async () => {
    const config = resolveDatabaseConfig(`file:${path.join(dir, "nested", "app.db")}`);
    const again = await openPreparedDatabase(config);
    try {
      expect(again.applied).toEqual([]);
      expect(again.ms).toBeLessThan(300);
    } finally {
      await again.db.close();
    }
  });

  it("health reports an unreachable database with 503-worthy ok:false", async () => {
    const db = await getDatabase();
    setDatabase(null);
    process.env.DATABASE_URL = "postgresql://nobody@127.0.0.1:1/none";
    const health = await checkHealth();
    expect(health).toMatchObject({ ok: false, db: "postgresql", error: { code: "DB_UNAVAILABLE" } });
    setDatabase(db);
  });
});
