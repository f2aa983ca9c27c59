/**
 * The route files under app/api, read from disk: their URL path in OpenAPI form (`[id]` → `{id}`) and
 * the HTTP methods they export. The OpenAPI coverage test and the in-process fetch (route-fetch.ts) use it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface RouteFile {
  /** Path of the file from the repo root, e.g. app/api/runs/[id]/route.ts */
  file: string;
  /** OpenAPI path, e.g. /api/runs/{id} */
  path: string;
  /** Lower-case methods the file exports (get, post, …). */
  methods: string[];
}

const ROOT = join(import.meta.dirname, "..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
// `export const GET =`, `export async function GET(`, `export { GET }`, `export { handler as GET }`.
const EXPORT = new RegExp(`export\\s+(?:const|(?:async\\s+)?function)\\s+(${METHODS.join("|")})\\b|export\\s*\\{([^}]*)\\}`, "g");

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return /^route\.(ts|tsx|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** Every app/api/**\/route.ts with its path and exported methods. */
export function routeFiles(): RouteFile[] {
  return walk(join(ROOT, "app", "api"))
    .map((abs) => {
      const file = relative(ROOT, abs).split(sep).join("/");
      const path =
        "/" +
        file
          .replace(/^app\//, "")
          .replace(/\/route\.\w+$/, "")
          .replace(/\[(\w+)\]/g, "{$1}");
      const source = readFileSync(abs, "utf8");
      const methods = new Set<string>();
      for (const m of source.matchAll(EXPORT)) {
        if (m[1]) methods.add(m[1].toLowerCase());
        for (const name of (m[2] ?? "").split(",").map(
          (s) =>
            s
              .trim()
              .split(/\s+as\s+/)
              .pop() ?? "",
        ))
          if (METHODS.includes(name)) methods.add(name.toLowerCase());
      }
      return { file, path, methods: [...methods].sort() };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

export const repoRoot = ROOT;
