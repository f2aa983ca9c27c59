// API tests: the route handlers called directly with real Request objects, against a real database
// (SQLite always, PostgreSQL when reachable), through lib/server and lib/db.
import { describe, expect, it } from "vitest";
import { API_BASE as base, TEST_OWNER, body, ctx, req, useTestDatabase } from "@/test/api-harness";
import { CURRENT_SCHEMA_VERSION, LIMITS, createEmptyWorkflow } from "@/lib/workflow";
import { type WorkflowDetail } from "@/lib/contracts";
import { testProviders } from "@/lib/db/testing";
import * as list from "./workflows/route";
import * as one from "./workflows/[id]/route";
import * as versions from "./workflows/[id]/versions/route";
import * as version from "./workflows/[id]/versions/[version]/route";
import * as restore from "./workflows/[id]/versions/[version]/restore/route";
import * as exporter from "./workflows/[id]/export/route";
import * as importer from "./workflows/import/route";
import * as schema from "./schema/workflow.json/route";
import * as health from "./health/route";

async function create(name = "API test"): Promise<WorkflowDetail> {
  const res = await list.POST(req("/api/workflows", { method: "POST", json: { name } }));
  expect(res.status).toBe(201);
  return body(res);
}

function docWithNodes(n: number) {
  const doc = createEmptyWorkflow("Big");
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, kind: "template", label: `N${i}`, position: { x: i, y: 0 }, config: {} }));
  return { ...doc, nodes, edges: [] };
}

const providers = await testProviders();

describe.each(providers)("workflow API on %s", (provider) => {
  useTestDatabase(provider);

  it("GET /api/health pings the database", async () => {
    const res = await health.GET(req("/api/health"));
    expect(res.status).toBe(200);
    // vitest sets NODE_ENV=test, so the server reports "development" (only a production build says "production").
    expect(await body(res)).toEqual({ ok: true, db: provider, mode: "development" });
  });

  it("GET /api/schema/workflow.json is the document's JSON Schema", async () => {
    const res = await schema.GET(req("/api/schema/workflow.json"));
    expect(res.status).toBe(200);
    const s = await body(res);
    expect(s.$id).toBe("https://aura.studio/schema/workflow.json");
    expect(s.properties).toHaveProperty("nodes");
  });

  it("creates, reads, lists, saves, renames and deletes a workflow", async () => {
    const created = await create("First");
    expect(created).toMatchObject({ name: "First", version: 1 });
    expect(created.id).toMatch(/^wf_[0-9a-z]{12}$/);
    expect(created.document.id).toBe(created.id);
    expect(created.document.nodes.map((n) => n.kind)).toEqual(["start", "output"]);

    const got = await one.GET(req(`/api/workflows/${created.id}`), ctx({ id: created.id }));
    expect(got.status).toBe(200);
    expect(await body(got)).toEqual(created);

    const doc = {
      ...created.document,
      description: "edited",
      nodes: [...created.document.nodes, { id: "t1", kind: "template", label: "T", position: { x: 1, y: 2 }, config: {} }],
    };
    const saved = await one.PUT(req(`/api/workflows/${created.id}`, { method: "PUT", json: { baseVersion: 1, document: doc } }), ctx({ id: created.id }));
    expect(saved.status).toBe(200);
    const v2 = await body<WorkflowDetail>(saved);
    expect(v2.version).toBe(2);
    expect(v2.document.nodes).toHaveLength(3);

    const renamed = await body<WorkflowDetail>(
      await one.PUT(req(`/api/workflows/${created.id}`, { method: "PUT", json: { name: "Renamed" } }), ctx({ id: created.id })),
    );
    expect(renamed).toMatchObject({ name: "Renamed", version: 3 });
    expect(renamed.document.name).toBe("Renamed");
    expect(renamed.document.nodes).toHaveLength(3);

    const listed = await body<{ workflows: any[] }>(await list.GET(req("/api/workflows")));
    const row = listed.workflows.find((w) => w.id === created.id);
    expect(row).toMatchObject({ name: "Renamed", description: "edited", version: 3, nodeCount: 3, lastRunStatus: null });
    expect(listed.workflows[0].id).toBe(created.id); // most recently changed first

    const del = await one.DELETE(req(`/api/workflows/${created.id}`, { method: "DELETE" }), ctx({ id: created.id }));
    expect(await body(del)).toEqual({ ok: true });
    const gone = await one.GET(req(`/api/workflows/${created.id}`), ctx({ id: created.id }));
    expect(gone.status).toBe(404);
    expect((await body(gone)).error.code).toBe("NOT_FOUND");
  });

  it("creates from a document (new id, name override) and an empty one without a body", async () => {
    const res = await list.POST(
      req("/api/workflows", { method: "POST", json: { name: "Copy", document: { ...createEmptyWorkflow("Template"), id: "wf_template" } } }),
    );
    expect(res.status).toBe(201);
    const d = await body<WorkflowDetail>(res);
    expect(d.id).not.toBe("wf_template");
    expect(d.name).toBe("Copy");
    const empty = await list.POST(new Request(`${base}/api/workflows`, { method: "POST", headers: { authorization: `Bearer ${TEST_OWNER.token}` } }));
    expect(empty.status).toBe(201);
    expect((await body(empty)).name).toBe("Untitled workflow");
    const bad = await list.POST(req("/api/workflows", { method: "POST", json: { name: "" } }));
    expect(bad.status).toBe(400);
    expect((await body(bad)).error).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: "$.name" }] });
  });

  it("lists versions newest first; versions are immutable; GET one version", async () => {
    const w = await create("Versions");
    const v1doc = w.document;
    for (let i = 1; i <= 3; i++) {
      const res = await one.PUT(
        req(`/api/workflows/${w.id}`, { method: "PUT", json: { baseVersion: i, document: { ...v1doc, description: `save ${i}` } } }),
        ctx({ id: w.id }),
      );
      expect(res.status).toBe(200);
    }
    const vs = await body<{ versions: any[] }>(await versions.GET(req(`/api/workflows/${w.id}/versions`), ctx({ id: w.id })));
    expect(vs.versions.map((v) => [v.version, v.reason])).toEqual([
      [4, "save"],
      [3, "save"],
      [2, "save"],
      [1, "create"],
    ]);
    expect(vs.versions[0]).toMatchObject({ name: "Versions", nodeCount: 2 });
    expect(typeof vs.versions[0].createdAt).toBe("string");

    const one1 = await body<WorkflowDetail>(await version.GET(req(`/api/workflows/${w.id}/versions/1`), ctx({ id: w.id, version: "1" })));
    expect(one1.version).toBe(1);
    expect(one1.document).toEqual(v1doc);
    const one3 = await body<WorkflowDetail>(await version.GET(req(`/api/workflows/${w.id}/versions/3`), ctx({ id: w.id, version: "3" })));
    expect(one3.document.description).toBe("save 2");

    const missing = await version.GET(req(`/api/workflows/${w.id}/versions/99`), ctx({ id: w.id, version: "99" }));
    expect(missing.status).toBe(404);
    const badNumber = await version.GET(req(`/api/workflows/${w.id}/versions/abc`), ctx({ id: w.id, version: "abc" }));
    expect(badNumber.status).toBe(400);
    expect((await body(badNumber)).error.code).toBe("BAD_REQUEST");
  });

  it("restores version N as a new version (reason restore:N), keeping history", async () => {
    const w = await create("Restore me");
    await one.PUT(
      req(`/api/workflows/${w.id}`, { method: "PUT", json: { baseVersion: 1, document: { ...w.document, name: "Changed", description: "v2" } } }),
      ctx({ id: w.id }),
    );
    const res = await restore.POST(req(`/api/workflows/${w.id}/versions/1/restore`, { method: "POST" }), ctx({ id: w.id, version: "1" }));
    expect(res.status).toBe(200);
    const d = await body<WorkflowDetail>(res);
    expect(d).toMatchObject({ version: 3, name: "Restore me" });
    expect(d.document).toEqual(w.document);
    const vs = await body<{ versions: any[] }>(await versions.GET(req(`/api/workflows/${w.id}/versions`), ctx({ id: w.id })));
    expect(vs.versions.map((v) => v.reason)).toEqual(["restore:1", "save", "create"]);
    const v2 = await body<WorkflowDetail>(await version.GET(req(""), ctx({ id: w.id, version: "2" })));
    expect(v2.document.description).toBe("v2");
    const nope = await restore.POST(req("", { method: "POST" }), ctx({ id: w.id, version: "42" }));
    expect(nope.status).toBe(404);
  });

  it("refuses a stale save with 409 and the current version; force overrides", async () => {
    const w = await create("Conflict");
    const ok = await one.PUT(req("", { method: "PUT", json: { baseVersion: 1, document: { ...w.document, description: "A" } } }), ctx({ id: w.id }));
    expect(ok.status).toBe(200);
    const stale = await one.PUT(req("", { method: "PUT", json: { baseVersion: 1, document: { ...w.document, description: "B" } } }), ctx({ id: w.id }));
    expect(stale.status).toBe(409);
    expect((await body(stale)).error).toMatchObject({ code: "VERSION_CONFLICT", currentVersion: 2 });
    const forced = await one.PUT(
      req("", { method: "PUT", json: { baseVersion: 1, document: { ...w.document, description: "B" }, force: true } }),
      ctx({ id: w.id }),
    );
    expect(forced.status).toBe(200);
    expect(await body(forced)).toMatchObject({ version: 3, document: { description: "B" } });
  });

  it("export → import → export gives the same document; a taken id gets a new one", async () => {
    const w = await create("Round trip ✓");
    const doc = {
      ...w.document,
      description: "with notes and meta",
      nodes: [...w.document.nodes, { id: "llm", kind: "template", label: "Step", position: { x: 5, y: 6 }, config: { z: 1, a: [1, 2], m: { y: true } } }],
      notes: [{ id: "note1", text: "hello", position: { x: 0, y: 0 } }],
      meta: { zeta: 1, alpha: "x" },
    };
    await one.PUT(req("", { method: "PUT", json: { baseVersion: 1, document: doc } }), ctx({ id: w.id }));

    const ex1 = await exporter.GET(req(`/api/workflows/${w.id}/export`), ctx({ id: w.id }));
    expect(ex1.status).toBe(200);
    expect(ex1.headers.get("content-disposition")).toContain("attachment;");
    expect(ex1.headers.get("content-disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("Round trip ✓.aura.json")}`);
    const text1 = await ex1.text();
    const exported = JSON.parse(text1);
    expect(exported.id).toBe(w.id);
    expect(exported.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);

    // The id is taken while the workflow exists: the import gets a new id.
    const dup = await importer.POST(req("/api/workflows/import", { method: "POST", body: text1 }));
    expect(dup.status).toBe(201);
    const dupBody = await body<{ id: string; name: string }>(dup);
    const dupId = dupBody.id;
    expect(dupId).not.toBe(w.id);
    expect(dupBody.name).toBe("Round trip ✓ (imported)"); // the name is taken too: never two identical entries
    expect((await body<WorkflowDetail>(await one.GET(req(""), ctx({ id: dupId })))).document.id).toBe(dupId);

    // Once deleted, the id is free: import keeps it and the export is byte-identical.
    await one.DELETE(req("", { method: "DELETE" }), ctx({ id: w.id }));
    const imp = await importer.POST(req("/api/workflows/import", { method: "POST", body: text1 }));
    expect(imp.status).toBe(201);
    expect(await body(imp)).toEqual({ id: w.id, name: "Round trip ✓" });
    const text2 = await (await exporter.GET(req(""), ctx({ id: w.id }))).text();
    expect(text2).toBe(text1);
    const vs = await body<{ versions: any[] }>(await versions.GET(req(""), ctx({ id: w.id })));
    expect(vs.versions.map((v) => v.reason)).toEqual(["import"]);
  });

  it("answers 400 with JSON paths for a bad document, and INVALID_JSON for malformed JSON", async () => {
    const bad = {
      schemaVersion: 1,
      name: "Bad",
      nodes: [{ id: "a", kind: 7, label: "A", position: { x: 0, y: 0 } }],
      edges: [{ id: "e", source: "a", target: "ghost" }],
    };
    const res = await importer.POST(req("/api/workflows/import", { method: "POST", json: bad }));
    expect(res.status).toBe(400);
    const err = (await body(res)).error;
    expect(err.code).toBe("INVALID_DOCUMENT");
    expect(err.issues).toContainEqual(expect.objectContaining({ path: "$.nodes[0].kind", code: "SCHEMA_INVALID" }));

    const dangling = { ...createEmptyWorkflow("Dangling"), edges: [{ id: "e", source: "start", target: "ghost" }] };
    const res2 = await importer.POST(req("/api/workflows/import", { method: "POST", json: dangling }));
    expect(res2.status).toBe(400);
    expect((await body(res2)).error.issues).toEqual([expect.objectContaining({ path: "$.edges[0].target", code: "DANGLING_EDGE" })]);

    const w = await create("Save bad");
    const res3 = await one.PUT(req("", { method: "PUT", json: { baseVersion: 1, document: { ...w.document, nodes: "nope" } } }), ctx({ id: w.id }));
    expect(res3.status).toBe(400);
    expect((await body(res3)).error.issues[0].path).toBe("$.nodes");

    for (const call of [
      () => importer.POST(req("/api/workflows/import", { method: "POST", body: "{ not json" })),
      () => one.PUT(req("", { method: "PUT", body: "{" }), ctx({ id: w.id })),
      () => list.POST(req("/api/workflows", { method: "POST", body: "[1," })),
      () => importer.POST(req("/api/workflows/import", { method: "POST", body: "" })),
    ]) {
      const r = await call();
      expect(r.status).toBe(400);
      expect((await body(r)).error.code).toBe("INVALID_JSON");
    }
    const notObject = await importer.POST(req("/api/workflows/import", { method: "POST", json: [1, 2] }));
    expect(notObject.status).toBe(400);
    expect((await body(notObject)).error.code).toBe("INVALID_DOCUMENT");
    const badPut = await one.PUT(req("", { method: "PUT", json: { baseVersion: 0 } }), ctx({ id: w.id }));
    expect(badPut.status).toBe(400);
    expect((await body(badPut)).error.code).toBe("BAD_REQUEST");
  });

  it("refuses a node kind the app does not know (import, create, save): 400 UNKNOWN_KIND at its path, nothing saved", async () => {
    const before = (await body<{ workflows: unknown[] }>(await list.GET(req("/api/workflows")))).workflows.length;
    const base = createEmptyWorkflow("Unknown kind");
    const doc = { ...base, nodes: [...base.nodes, { id: "tp", kind: "teleporter", label: "Beam me up", position: { x: 0, y: 200 }, config: {} }] };
    const imported = await importer.POST(req("/api/workflows/import", { method: "POST", json: doc }));
    expect(imported.status).toBe(400);
    const err = (await body(imported)).error;
    expect(err.code).toBe("INVALID_DOCUMENT");
    expect(err.issues).toEqual([{ path: "$.nodes[2].kind", code: "UNKNOWN_KIND", message: expect.stringContaining('"teleporter"') }]);
    const created = await list.POST(req("/api/workflows", { method: "POST", json: { document: doc } }));
    expect(created.status).toBe(400);
    expect((await body(created)).error.issues[0]).toMatchObject({ path: "$.nodes[2].kind", code: "UNKNOWN_KIND" });
    expect((await body<{ workflows: unknown[] }>(await list.GET(req("/api/workflows")))).workflows).toHaveLength(before);

    const w = await create("Save unknown kind");
    const saved = await one.PUT(req("", { method: "PUT", json: { baseVersion: 1, document: { ...w.document, nodes: doc.nodes } } }), ctx({ id: w.id }));
    expect(saved.status).toBe(400);
    expect((await body(saved)).error.issues[0]).toMatchObject({ path: "$.nodes[2].kind", code: "UNKNOWN_KIND" });
    expect((await body<WorkflowDetail>(await one.GET(req(""), ctx({ id: w.id })))).version).toBe(1);

    // Unversioned (version 0, React Flow toObject()) documents stay accepted when their kinds are known.
    const v0 = {
      nodes: [
        { id: "s", type: "start", position: { x: 0, y: 0 }, data: { label: "Start" } },
        { id: "o", type: "output", position: { x: 0, y: 100 }, data: { label: "Out" } },
      ],
      edges: [{ source: "s", target: "o" }],
    };
    expect((await importer.POST(req("/api/workflows/import", { method: "POST", json: v0 }))).status).toBe(201);
    const v0Unknown = { ...v0, nodes: [...v0.nodes, { id: "d", type: "default", position: { x: 0, y: 200 }, data: { label: "Node" } }] };
    const refused = await importer.POST(req("/api/workflows/import", { method: "POST", json: v0Unknown }));
    expect(refused.status).toBe(400);
    expect((await body(refused)).error.issues[0]).toMatchObject({ path: "$.nodes[2].kind", code: "UNKNOWN_KIND" });
  });

  it("answers 413 over 5 MB (with or without Content-Length) and over the node limit", async () => {
    const big = `{"schemaVersion":1,"name":"x","pad":"${"x".repeat(LIMITS.maxBodyBytes)}"}`;
    const declared = await importer.POST(req("/api/workflows/import", { method: "POST", body: big }));
    expect(declared.status).toBe(413);
    expect((await body(declared)).error.code).toBe("PAYLOAD_TOO_LARGE");

    // A stream without Content-Length (chunked) is counted while it is read.
    let sent = 0;
    const chunk = new TextEncoder().encode("x".repeat(256 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 64) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const chunked = new Request(`${base}/api/workflows/import`, {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: { "content-type": "application/json", authorization: `Bearer ${TEST_OWNER.token}` },
    } as RequestInit);
    expect(chunked.headers.get("content-length")).toBeNull();
    const res = await importer.POST(chunked);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(40); // stopped reading soon after the cap

    // A lying Content-Length does not help either.
    const lying = new Request(`${base}/api/workflows/import`, {
      method: "POST",
      body: big,
      headers: { "content-length": "10", "content-type": "application/json", authorization: `Bearer ${TEST_OWNER.token}` },
    });
    expect((await importer.POST(lying)).status).toBe(413);

    const tooMany = await importer.POST(req("/api/workflows/import", { method: "POST", json: docWithNodes(LIMITS.maxNodes + 1) }));
    expect(tooMany.status).toBe(413);
    expect((await body(tooMany)).error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", issues: [{ path: "$.nodes", code: "TOO_MANY_NODES" }] });
    const w = await create("Node limit");
    const save = await one.PUT(req("", { method: "PUT", json: { baseVersion: 1, document: docWithNodes(LIMITS.maxNodes + 1) } }), ctx({ id: w.id }));
    expect(save.status).toBe(413);
  });

  it("accepts a document at the node limit", async () => {
    const res = await importer.POST(req("/api/workflows/import", { method: "POST", json: docWithNodes(LIMITS.maxNodes) }));
    expect(res.status).toBe(201);
    const { id } = await body(res);
    const d = await body<WorkflowDetail>(await one.GET(req(""), ctx({ id })));
    expect(d.document.nodes).toHaveLength(LIMITS.maxNodes);
  });

  it("answers 404 NOT_FOUND for an unknown id everywhere", async () => {
    const id = "wf_doesnotexist";
    const c = ctx({ id });
    const cv = ctx({ id, version: "1" });
    const responses = [
      await one.GET(req(""), c),
      await one.PUT(req("", { method: "PUT", json: { baseVersion: 1, document: createEmptyWorkflow("x") } }), c),
      await one.PUT(req("", { method: "PUT", json: { name: "x" } }), c),
      await one.DELETE(req("", { method: "DELETE" }), c),
      await versions.GET(req(""), c),
      await version.GET(req(""), cv),
      await restore.POST(req("", { method: "POST" }), cv),
      await exporter.GET(req(""), c),
    ];
    for (const r of responses) {
      expect(r.status).toBe(404);
      const e = (await body(r)).error;
      expect(e.code).toBe("NOT_FOUND");
      expect(e.message).toContain(id);
    }
  });
});
