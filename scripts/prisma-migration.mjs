#!/usr/bin/env node
// Creates a migration for EVERY provider from the change in prisma/models.prisma, under one name and
// timestamp:  npm run db:migration -- --name add_runs
//
// 1. rewrites prisma/<provider>/schema.prisma from prisma/models.prisma;
// 2. per provider, diffs the committed migrations against the schema (`prisma migrate diff
//    --from-migrations … --to-schema … --script`, replayed on a shadow database) and writes
//    prisma/<provider>/migrations/<timestamp>_<name>/migration.sql when there is a change.
// SQLite needs nothing (in-memory shadow). PostgreSQL needs a server for the temporary shadow
// database: PG_URL, else DATABASE_URL when it is postgres, else postgresql://postgres@127.0.0.1:5432/postgres.
// Review the SQL, then apply it with `npm run db:deploy` (or at app start) and commit it.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const nameArg = args.find((a) => a.startsWith("--name="))?.slice(7) ?? args[args.indexOf("--name") + 1];
if (!nameArg || (args.indexOf("--name") === -1 && !args.some((a) => a.startsWith("--name=")))) {
  console.error("usage: npm run db:migration -- --name <what_changed>");
  process.exit(2);
}
const name = nameArg
  .toLowerCase()
  .replace(/[^a-z0-9_]+/g, "_")
  .replace(/^_+|_+$/g, "");
const cli = path.join(root, "node_modules", "prisma", "build", "index.js");

const schemas = spawnSync(process.execPath, [path.join(root, "scripts", "prisma-schemas.mjs")], { cwd: root, stdio: "inherit" });
if (schemas.status !== 0) process.exit(schemas.status ?? 1);

const ts = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const pgUrl =
  process.env.PG_URL ??
  (/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL : "postgresql://postgres@127.0.0.1:5432/postgres");
const tmp = mkdtempSync(path.join(os.tmpdir(), "aura-migration-"));
let written = 0;
try {
  for (const provider of ["sqlite", "postgresql"]) {
    const out = path.join(tmp, `${provider}.sql`);
    const dir = path.join("prisma", provider, "migrations");
    const r = spawnSync(
      process.execPath,
      [cli, "migrate", "diff", "--from-migrations", dir, "--to-schema", path.join("prisma", provider, "schema.prisma"), "--script", "-o", out],
      {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, DATABASE_URL: provider === "sqlite" ? `file:${path.join(tmp, "unused.db")}` : pgUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      },
    );
    if (r.status !== 0) {
      console.error(`prisma-migration: diffing ${provider} failed.`);
      process.exit(r.status ?? 1);
    }
    const sql = existsSync(out) ? readFileSync(out, "utf8") : "";
    if (!sql.trim() || /^-- This is an empty migration\.\s*$/.test(sql.trim())) {
      console.log(`${provider}: no change`);
      continue;
    }
    const target = path.join(root, dir, `${ts}_${name}`);
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, "migration.sql"), sql.endsWith("\n") ? sql : `${sql}\n`);
    console.log(`${provider}: wrote ${path.relative(root, target)}/migration.sql`);
    written++;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (written) console.log("Review the SQL, run `npm run db:generate`, and commit prisma/ (both providers).");
