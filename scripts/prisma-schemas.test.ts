// The two provider schemas stay generated from prisma/models.prisma, and each provider's committed
// migrations produce exactly its schema (checked through the Prisma CLI and the wasm engine stand-in).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkPrismaVersions } from "@/lib/db/schema-engine.mjs";
import { TEST_POSTGRES_URL, postgresAvailable } from "@/lib/db/testing";

const node = process.execPath;
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(node, args, { encoding: "utf8", env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env }, timeout: 60_000 });

describe("prisma schemas and migrations", () => {
  it("prisma/sqlite and prisma/postgresql schemas are in sync with prisma/models.prisma", () => {
    const r = run(["scripts/prisma-schemas.mjs", "--check"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("the installed Prisma packages and the wasm engine match exactly", () => {
    expect(checkPrismaVersions().problems).toEqual([]);
  });

  it("the engine stand-in answers --version with the engine hash", () => {
    const r = run(["scripts/prisma-wasm-engine.mjs", "--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^schema-engine-cli [0-9a-f]{40}/);
  });

  it("SQLite: the committed migrations give exactly the schema (prisma migrate diff through the wasm engine)", () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "aura-diff-"));
    const r = run(
      [
        "node_modules/prisma/build/index.js",
        "migrate",
        "diff",
        "--from-migrations",
        "prisma/sqlite/migrations",
        "--to-schema",
        "prisma/sqlite/schema.prisma",
        "--exit-code",
      ],
      { DATABASE_URL: `file:${path.join(tmp, "unused.db")}` },
    );
    rmSync(tmp, { recursive: true, force: true });
    expect(r.stdout + r.stderr).toContain("No difference detected");
    expect(r.status).toBe(0);
  });

  it("PostgreSQL: the committed migrations give exactly the schema", async () => {
    if (!(await postgresAvailable())) return;
    const r = run(
      [
        "node_modules/prisma/build/index.js",
        "migrate",
        "diff",
        "--from-migrations",
        "prisma/postgresql/migrations",
        "--to-schema",
        "prisma/postgresql/schema.prisma",
        "--exit-code",
      ],
      { DATABASE_URL: TEST_POSTGRES_URL },
    );
    expect(r.stdout + r.stderr).toContain("No difference detected");
    expect(r.status).toBe(0);
  });
});
