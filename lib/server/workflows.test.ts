import { describe, expect, it as vitestIt } from "vitest";
import { inWorkspace } from "@/lib/server/request-scope";
import { DEFAULT_WORKSPACE_ID } from "@/lib/db/workspaces";
import { useTestDatabase } from "@/test/api-harness";
import { createEmptyWorkflow, LIMITS } from "@/lib/workflow";
import { testProviders } from "@/lib/db/testing";
import * as workflows from "./workflows";
import { AppError } from "./errors";

// Use-cases act in a workspace scope (a route opens it for its caller): these tests act as the default workspace.
const it = (name: string, fn: () => Promise<void> | void, timeout?: number) => vitestIt(name, () => inWorkspace(DEFAULT_WORKSPACE_ID, fn), timeout);

async function expectAppError(p: Promise<unknown>, code: string) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("parseDocumentInput", () => {
  it("returns the parsed document, with defaults filled in", () => {
    const doc = workflows.parseDocumentInput({ schemaVersion: 1, name: "Min", nodes: [] });
    expect(doc).toMatchObject({ name: "Min", description: "", edges: [], notes: [], meta: {} });
  });

  it("refuses invalid documents with API issues, too many nodes or edges as PAYLOAD_TOO_LARGE", () => {
    const invalid = () => workflows.parseDocumentInput({ schemaVersion: 1, name: "", nodes: [] });
    expect(invalid).toThrowError(AppError);
    try {
      invalid();
    } catch (e) {
      expect((e as AppError).code).toBe("INVALID_DOCUMENT");
      expect((e as AppError).extra.issues).toEqual([expect.objectContaining({ path: "$.name", code: "SCHEMA_INVALID" })]);
    }
    const newer = () => workflows.parseDocumentInput({ schemaVersion: 999, name: "x", nodes: [] });
    expect(newer).toThrowError(/not valid/);
    const edges = Array.from({ length: LIMITS.maxEdges + 1 }, (_, i) => ({ id: `e${i}`, source: "start", target: "output" }));
    try {
      workflows.parseDocumentInput({ ...createEmptyWorkflow("E"), edges });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe("PAYLOAD_TOO_LARGE");
    }
  });
});

const providers = await testProviders();

describe.each(providers)("workflow use-cases on %s", (provider) => {
  useTestDatabase(provider);

  it("keeps the workflow row's cached name, description and node count in step with the document", async () => {
    const w = await workflows.createWorkflow({ name: "Cache" });
    const doc = { ...w.document, name: "Cache 2", description: "d", nodes: w.document.nodes.slice(0, 1), edges: [] };
    await workflows.saveWorkflow(w.id, { baseVersion: 1, document: doc });
    const row = (await workflows.listWorkflows()).find((x) => x.id === w.id);
    expect(row).toMatchObject({ name: "Cache 2", description: "d", nodeCount: 1, version: 2 });
  });

  it("stores documents with id = workflow id, whatever id the saved document carried", async () => {
    const w = await workflows.createWorkflow({ name: "Ids" });
    const saved = await workflows.saveWorkflow(w.id, { baseVersion: 1, document: { ...w.document, id: "wf_other" } });
    expect(saved.document.id).toBe(w.id);
    expect(Object.keys(saved.document).slice(0, 2)).toEqual(["schemaVersion", "id"]);
  });

  it("rename creates a version on top of the latest one (no conflict check) and keeps the graph", async () => {
    const w = await workflows.createWorkflow({ name: "Before" });
    await workflows.saveWorkflow(w.id, { baseVersion: 1, document: { ...w.document, description: "kept" } });
    const r = await workflows.renameWorkflow(w.id, "After");
    expect(r).toMatchObject({ version: 3, name: "After", document: { name: "After", description: "kept" } });
    expect((await workflows.listVersions(w.id))[0]).toMatchObject({ version: 3, reason: "rename", name: "After" });
  });

  it("concurrent saves from one base: exactly one succeeds, the others get VERSION_CONFLICT", async () => {
    const w = await workflows.createWorkflow({ name: "Race" });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => workflows.saveWorkflow(w.id, { baseVersion: 1, document: { ...w.document, description: `r${i}` } })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).code).toBe("VERSION_CONFLICT");
    expect((await workflows.getWorkflow(w.id)).version).toBe(2);
  });

  it("import keeps a free id, replaces a taken or missing one", async () => {
    const doc = { ...createEmptyWorkflow("Imported"), id: `imported-${provider}` };
    expect(await workflows.importWorkflow(doc)).toEqual({ id: `imported-${provider}`, name: "Imported" });
    const again = await workflows.importWorkflow(doc);
    expect(again.id).toMatch(/^wf_/);
    expect(again.name).toBe("Imported (imported)");
    expect((await workflows.getWorkflow(again.id)).document.name).toBe("Imported (imported)");
    expect((await workflows.importWorkflow(doc)).name).toBe("Imported (2)");
    const noId = await workflows.importWorkflow(createEmptyWorkflow("No id"));
    expect(noId.id).toMatch(/^wf_/);
    expect((await workflows.getWorkflow(noId.id)).document.id).toBe(noId.id);
  });

  it("export names the file after the workflow, safely", async () => {
    const w = await workflows.createWorkflow({ name: 'a/b\\c:"d"' });
    const ex = await workflows.exportWorkflow(w.id);
    expect(ex.fileName).toBe("a-b-c-d-.aura.json");
    expect(ex.document.id).toBe(w.id);
  });

  it("typed errors for unknown workflows and versions", async () => {
    await expectAppError(workflows.getWorkflow("wf_missing"), "NOT_FOUND");
    await expectAppError(workflows.deleteWorkflow("wf_missing"), "NOT_FOUND");
    const w = await workflows.createWorkflow({});
    await expectAppError(workflows.getVersion(w.id, 2), "NOT_FOUND");
    await expectAppError(workflows.restoreVersion(w.id, 2), "NOT_FOUND");
    const conflict = await expectAppError(workflows.saveWorkflow(w.id, { baseVersion: 7, document: w.document }), "VERSION_CONFLICT");
    expect(conflict.extra.currentVersion).toBe(1);
  });
});
