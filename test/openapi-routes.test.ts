// A route without documentation fails here: every exported method of app/api/**/route.ts must be an
// operation of the OpenAPI document, and every operation must still have its route.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { buildOpenApiDocument } from "@/lib/contracts/openapi";
import { ROUTE_RULE } from "@/lib/server/api-route";
import { routeFiles } from "./route-files";

const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { "x-aura-role": string }>> };
const files = routeFiles();
const inCode = files.flatMap((r) => r.methods.map((m) => `${m.toUpperCase()} ${r.path}`)).sort();
const inDoc = Object.entries(doc.paths)
  .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
  .sort();

describe("OpenAPI coverage of app/api", () => {
  it("finds the route files and their methods", () => {
    expect(files.length).toBeGreaterThan(25);
    expect(files.find((f) => f.path === "/api/workflows/{id}")?.methods).toEqual(["delete", "get", "put"]);
    expect(files.every((f) => f.methods.length > 0)).toBe(true);
  });

  it("documents every route file and exported method (add it to lib/contracts/openapi-routes.ts)", () => {
    expect(inCode.filter((op) => !inDoc.includes(op))).toEqual([]);
  });

  it("documents no route that does not exist", () => {
    expect(inDoc.filter((op) => !inCode.includes(op))).toEqual([]);
  });

  it("documents the role each route handler declares (route(role, …) / publicRoute: public; webhooks are public)", async () => {
    const wrong: string[] = [];
    for (const f of files) {
      const mod = (await import(join(import.meta.dirname, "..", f.file))) as Record<string, { [ROUTE_RULE]?: string } | undefined>;
      for (const m of f.methods) {
        const declared = mod[m.toUpperCase()]?.[ROUTE_RULE];
        const documented = doc.paths[f.path]?.[m]?.["x-aura-role"];
        if (declared !== (documented === "webhook" ? "public" : documented))
          wrong.push(`${m.toUpperCase()} ${f.path}: route ${declared}, document ${documented}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
