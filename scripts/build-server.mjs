// Bundles server.ts (and the lib/ code it imports) into dist/server.js for `npm start`, and the run
// worker (lib/server/runs/run-worker.ts) into dist/run-worker.js, which the server's pool loads from
// beside its own bundle.
// npm packages stay external; "server-only" is a marker for Next bundles and is dropped here.
import { build } from "esbuild";

const started = Date.now();
await build({
  entryPoints: { server: "server.ts", "run-worker": "lib/server/runs/run-worker.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  plugins: [
    {
      name: "server-only",
      setup(b) {
        b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
        b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {}", loader: "js" }));
      },
    },
  ],
});
console.log(`server bundles: dist/server.js, dist/run-worker.js in ${Date.now() - started} ms`);
