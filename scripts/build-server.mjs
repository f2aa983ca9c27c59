// Bundles server.ts (and the lib/ code it imports) into dist/server.js for `npm start`.
// npm packages stay external; "server-only" is a marker for Next bundles and is dropped here.
import { build } from "esbuild";

const started = Date.now();
await build({
  entryPoints: ["server.ts"],
  outfile: "dist/server.js",
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
console.log(`server bundle: dist/server.js in ${Date.now() - started} ms`);
