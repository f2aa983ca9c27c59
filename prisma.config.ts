/**
 * Prisma CLI configuration (generate, migrate, db …).
 *
 * - The database comes from DATABASE_URL, as in the app (lib/db/client.ts): unset means the SQLite file
 *   ./data/aura.db, postgres:// or postgresql:// means PostgreSQL. The schema and its migrations folder
 *   follow: prisma/sqlite/ or prisma/postgresql/ (`--schema` picks the other one explicitly).
 * - The native schema engine is downloaded by the CLI at every command, which fails offline. Unless
 *   PRISMA_WASM_ENGINE=0, the CLI runs scripts/prisma-wasm-engine.mjs instead, which forwards to
 *   @prisma/schema-engine-wasm (same engine commit). Set PRISMA_WASM_ENGINE=0 on a machine with
 *   internet to use the native engine; an explicit PRISMA_SCHEMA_ENGINE_BINARY always wins.
 * - SHADOW_DATABASE_URL optionally names the shadow database for `migrate dev` / `migrate diff`.
 */
import path from "node:path";
import { defineConfig } from "prisma/config";

const root = import.meta.dirname ?? process.cwd();

function databaseUrl(): string {
  const raw = process.env.DATABASE_URL?.trim() || "file:./data/aura.db";
  if (/^postgres(ql)?:\/\//i.test(raw)) return raw;
  // SQLite: an absolute path, so the CLI, the engine and the app agree whatever the working directory.
  const file = raw.replace(/^file:(\/\/)?/i, "");
  return `file:${path.resolve(root, file)}`;
}

const url = databaseUrl();
const provider = url.startsWith("file:") ? "sqlite" : "postgresql";

if (process.env.PRISMA_WASM_ENGINE !== "0" && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(root, "scripts", "prisma-wasm-engine.mjs");
}

export default defineConfig({
  schema: path.join(root, "prisma", provider, "schema.prisma"),
  datasource: {
    url,
    ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
  },
});
