#!/usr/bin/env node
// The `aura` command line. It runs the engine's TypeScript through tsx (a dependency installed by
// `npm ci`), so a fresh clone needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../lib/engine/cli.ts");
process.exitCode = await main(process.argv.slice(2));
