/** Bundles TypeScript entry points for plain `node` (see bundle-node.mjs). */
export function bundleNode(entryPoints: Record<string, string>, outdir: string): Promise<void>;
