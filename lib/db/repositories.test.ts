import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "@/lib/workflow";
import { createTestDatabase, testProviders, type TestDatabase } from "./testing";
import { migrateDatabase } from "./migrate";
import { resolveDatabaseConfig } from "./config";
import { DEFAULT_WORKSPACE_ID, ensureDefaultWorkspace, findWorkspace } from "./workspaces";
import * as workflows from "./workflows";
import * as versions from "./workflow-versions";
import { StoredDocumentError } from "./documents";

const providers = await testProviders();

describe.each(providers)("repositories on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("is migrated, and migrating again is a fast no-op", async () => {
    const again = await migrateDatabase(resolveDatabaseConfig(t.db.url));
    expect(again.applied).toEqual([]);
    expect(again.ms).toBeLessThan(500);
    const rows = await t.db.prisma.$queryRawUnsafe<{ migration_name: string }[]>("SELECT migration_name FROM _prisma_migrations");
    expect(rows.map((r) => r.migration_name)).toContain("20261124114209_init");
  });

  it("has the default workspace (idempotent)", async () => {
    await ensureDefaultWorkspace(t.db);
    await ensureDefaultWorkspace(t.db);
    expect((await findWorkspace(t.db, DEFAULT_WORKSPACE_ID))?.name).toBe("Default workspace");
  });

  it("creates a workflow with version 1, refuses a taken id", async () => {
    const doc = { ...createEmptyWorkflow("Repo test"), id: "wf_repo1" };
    const w = await workflows.createWorkflow(t.db, { id: "wf_repo1", workspaceId: DEFAULT_WORKSPACE_ID, version: { document: doc, reason: "create" } });
    expect(w).toMatchObject({ id: "wf_repo1", name: "Repo test", currentVersion: 1, nodeCount: 2 });
    expect(
      await workflows.createWorkflow(t.db, { id: "wf_repo1", workspaceId: DEFAULT_WORKSPACE_ID, version: { document: doc, reason: "create" } }),
    ).toBeNull();
    expect(await workflows.workflowIdTaken(t.db, "wf_repo1")).toBe(true);
    const v1 = await versions.findVersion(t.db, "wf_repo1", 1);
    expect(v1?.document).toEqual(doc);
    expect(v1?.reason).toBe("create");
  });

  it("appends versions with compare-and-set; concurrent saves on one base: exactly one wins", async () => {
    const base = (await versions.findVersion(t.db, "wf_repo1", 1))!.document;
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        workflows.appendVersion(t.db, { id: "wf_repo1", expectedVersion: 1, version: { document: { ...base, name: `Concurrent ${i}` }, reason: "save" } }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "conflict").every((r) => !r.ok && r.reason === "conflict" && r.currentVersion === 2)).toBe(true);
    const forced = await Promise.all([1, 2, 3].map(() => workflows.appendVersion(t.db, { id: "wf_repo1", version: { document: base, reason: "save" } })));
    expect(forced.every((r) => r.ok)).toBe(true);
    expect((await workflows.findWorkflow(t.db, "wf_repo1"))?.currentVersion).toBe(5);
    expect((await versions.listVersions(t.db, "wf_repo1")).map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
    expect(await workflows.appendVersion(t.db, { id: "wf_nope", version: { document: base, reason: "save" } })).toEqual({ ok: false, reason: "not_found" });
  });

  it("reads stored documents through parseWorkflow and reports a corrupt one", async () => {
    await t.db.prisma.workflowVersion.create({
      data: { workflowId: "wf_repo1", version: 99, name: "x", reason: "save", nodeCount: 0, document: '{"schemaVersion":1}' },
    });
    await expect(versions.findVersion(t.db, "wf_repo1", 99)).rejects.toBeInstanceOf(StoredDocumentError);
    await t.db.prisma.workflowVersion.delete({ where: { workflowId_version: { workflowId: "wf_repo1", version: 99 } } });
  });

  it("deletes a workflow with its versions", async () => {
    expect(await workflows.deleteWorkflow(t.db, "wf_repo1")).toBe(true);
    expect(await workflows.deleteWorkflow(t.db, "wf_repo1")).toBe(false);
    expect(await versions.listVersions(t.db, "wf_repo1")).toEqual([]);
  });
});
