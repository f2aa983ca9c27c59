// Bundles TypeScript entry points for plain `node` (no tsx at run time): npm packages stay external,
// and "server-only" (a marker for Next bundles, which throws elsewhere) is dropped.
import { build } from "esbuild";

/** @param {Record<string, string>} entryPoints name → source file @param {string} outdir */
export async function bundleNode(entryPoints, outdir) {
  await build({
    entryPoints,
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    // Dynamic imports become chunks loaded when first called, with the npm packages they import: without
    // it esbuild hoists those packages' imports to the top of the bundle and every process loads them at
    // start (a SQLite server's run worker loaded the PostgreSQL checkpointer and pg).
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
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
}
