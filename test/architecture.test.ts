/**
 * The import table of shared/DESIGN.md, enforced: each layer may import only the layers listed for it,
 * and only lib/db touches Prisma. A failure names the file and the import to move.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "..");

/** Shared by every layer: the process-wide singleton helper (globalThis under Symbol.for keys; no imports). */
const everywhere = ["lib/process-singleton"];

/** Project folders each layer may import (besides itself and `everywhere`). */
const allowed: Record<string, string[]> = {
  "lib/workflow": [],
  "lib/topology": ["lib/workflow"],
  "lib/engine": ["lib/workflow", "lib/realtime/events"],
  // lib/db stores run events, so it reads their zod union and implements the realtime store interface.
  "lib/db": ["lib/workflow", "lib/realtime/events", "lib/realtime/run-event-source"],
  "lib/realtime": ["lib/workflow", "lib/engine/events"],
  "lib/server": ["lib/workflow", "lib/topology", "lib/engine", "lib/db", "lib/realtime"],
  "lib/editor": ["lib/workflow", "lib/topology", "lib/realtime", "lib/api", "components/ui"],
  "lib/api": ["lib/workflow", "lib/realtime", "lib/topology"],
  app: ["lib/server", "lib/workflow", "lib/realtime", "components", "app"],
  components: ["lib/editor", "lib/api", "lib/workflow", "lib/topology", "lib/realtime", "components"],
};

/** npm packages that only some layers may use. */
const restrictedPackages: { pattern: RegExp; onlyIn: string[] }[] = [
  { pattern: /^(@prisma\/|prisma$|.*\/generated\/)/, onlyIn: ["lib/db"] },
  { pattern: /^(react|react-dom|@xyflow\/react|zustand|@tanstack\/react-query)$/, onlyIn: ["lib/editor", "lib/api", "components", "app", "lib/realtime", "lib/topology"] },
];

function walk(dir: string, out: string[] = []): string[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

const layerOf = (rel: string) => Object.keys(allowed).filter((l) => rel === l || rel.startsWith(`${l}/`)).sort((a, b) => b.length - a.length)[0];

function importsOf(source: string): string[] {
  const specs: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s+["']([^"']+)["']/gm;
  for (const m of source.matchAll(re)) specs.push(m[1] ?? m[2] ?? m[3]);
  return specs;
}

function resolveProjectPath(fromRel: string, spec: string): string | null {
  if (spec.startsWith("@/")) return spec.slice(2);
  if (spec.startsWith(".")) return relative(root, join(root, fromRel, "..", spec));
  return null;
}

describe("architecture: the import table of DESIGN.md", () => {
  const files = Object.keys(allowed).flatMap((layer) => walk(join(root, layer)));
  const violations: string[] = [];
  for (const file of files) {
    const rel = relative(root, file);
    const layer = layerOf(rel);
    if (!layer) continue;
    for (const spec of importsOf(readFileSync(file, "utf8"))) {
      const target = resolveProjectPath(rel, spec);
      if (target) {
        if (target === layer || target.startsWith(`${layer}/`)) continue;
        if (![...allowed[layer], ...everywhere].some((a) => target === a || target.startsWith(`${a}/`) || target.startsWith(`${a}.`))) {
          violations.push(`${rel} imports ${spec} (${layer} may import: ${allowed[layer].join(", ") || "nothing in the project"})`);
        }
      } else {
        for (const r of restrictedPackages) {
          if (r.pattern.test(spec) && !r.onlyIn.some((l) => layer === l || layer.startsWith(`${l}/`))) {
            violations.push(`${rel} imports ${spec}, which only ${r.onlyIn.join(", ")} may use`);
          }
        }
      }
    }
  }

  it("finds the source files", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it("has no import that crosses the layers the wrong way", () => {
    expect(violations).toEqual([]);
  });
});
