// `npm run bench`: every benchmark under bench/, one after another (they measure, so never in parallel).
// Each prints its own numbers and ratios; nothing asserts. The canvas and webhook benches need `npm run build` first.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const only = process.argv.slice(2);
const benches = readdirSync("bench")
  .filter((f) => f.endsWith(".ts") && f !== "generate-workflow.ts" && f !== "production-server.ts" && !f.startsWith("_"))
  .filter((f) => !only.length || only.some((o) => f.includes(o)));
for (const file of benches) {
  if ((file === "canvas.ts" || file === "webhook.ts") && !existsSync("dist/server.js")) {
    console.log(`\n# bench/${file}: skipped (run npm run build first)`);
    continue;
  }
  console.log(`\n# bench/${file}`);
  const r = spawnSync("npx", ["tsx", `bench/${file}`], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) console.log(`# bench/${file} exited ${r.status}`);
}
