// A route without documentation fails here: every exported method of app/api/**/route.ts must be an
// operation of the OpenAPI document, and every operation must still have its route.
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/contracts/openapi";
import { routeFiles } from "./route-files";

const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, unknown>> };
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
});
