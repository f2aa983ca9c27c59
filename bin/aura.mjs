#!/usr/bin/env node
// The `aura` command line. It runs the TypeScript through tsx (a dependency installed by `npm ci`), so
// a fresh clone needs no build step. With --server (or AURA_SERVER, unless --local) it talks to a
// running server over the typed HTTP client; otherwise it runs the engine on this machine.
import { register } from "tsx/esm/api";

register();
const argv = process.argv.slice(2);
const serverMode = argv.some((a) => a === "--server" || a.startsWith("--server=")) || (!!process.env.AURA_SERVER && !argv.includes("--local"));
if (serverMode) {
  const { serverMain } = await import("../lib/cli/server-mode.ts");
  process.exitCode = await serverMain(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
  });
} else {
  const { main } = await import("../lib/engine/cli.ts");
  process.exitCode = await main(argv.filter((a) => a !== "--local"));
}
