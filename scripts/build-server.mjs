// Bundles server.ts (and the lib/ code it imports) into dist/server.js for `npm start`, and the run
// worker (lib/server/runs/run-worker.ts) into dist/run-worker.js, which the server's pool loads from
// beside its own bundle.
import { bundleNode } from "./bundle-node.mjs";

const started = Date.now();
await bundleNode({ server: "server.ts", "run-worker": "lib/server/runs/run-worker.ts" }, "dist");
console.log(`server bundles: dist/server.js, dist/run-worker.js in ${Date.now() - started} ms`);
