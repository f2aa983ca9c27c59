#!/usr/bin/env node
// Generates the Prisma clients of both providers into lib/db/generated/<provider>/ (not committed).
// Run by `npm run db:generate` and by `postinstall`, so a fresh clone has them after `npm ci`.
// Offline-safe: `prisma generate` needs no download (prisma.config.ts points the CLI at the wasm
// schema engine). Skips quietly when the Prisma CLI is not installed (production installs).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(cli)) {
  console.log("prisma-generate: the Prisma CLI is not installed (production install?), skipping client generation.");
  process.exit(0);
}

const check = spawnSync(process.execPath, [path.join(root, "scripts", "prisma-schemas.mjs"), "--check"], { cwd: root, stdio: "inherit" });
if (check.status !== 0) console.warn("prisma-generate: warning: the provider schemas are stale; generating from them anyway.");

const started = Date.now();
for (const provider of ["sqlite", "postgresql"]) {
  const r = spawnSync(process.execPath, [cli, "generate", "--schema", path.join("prisma", provider, "schema.prisma")], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", PRISMA_DISABLE_WARNINGS: "1" },
  });
  if (r.status !== 0) {
    process.stdout.write(r.stdout);
    console.error(`prisma-generate: generating the ${provider} client failed.`);
    process.exit(r.status ?? 1);
  }
}
console.log(`prisma-generate: lib/db/generated/{sqlite,postgresql} in ${Date.now() - started} ms`);
