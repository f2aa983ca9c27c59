// GET /api/workflows/:id/diff?from=&to=: the diff between two saved versions, on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { body, createWorkflow, ctx, req, useTestDatabase } from "@/test/api-harness";
import { testProviders } from "@/lib/db/testing";
import { createEmptyWorkflow, type WorkflowDocument } from "@/lib/workflow";
import { DiffResponseSchema } from "@/lib/contracts";
import * as one from "./workflows/[id]/route";
import * as diffRoute from "./workflows/[id]/diff/route";

const providers = await testProviders();

const getDiff = (id: string, query: string) => diffRoute.GET(req(`/api/workflows/${id}/diff${query}`), ctx({ id }));

async function save(id: string, baseVersion: number, document: WorkflowDocument) {
  const res = await one.PUT(req(`/api/workflows/${id}`, { method: "PUT", json: { baseVersion, document } }), ctx({ id }));
  expect(res.status).toBe(200);
}

describe.each(providers)("workflow diff API on %s", (provider) => {
  useTestDatabase(provider);

  it("answers the diff of two versions; `to` defaults to the current one", async () => {
    const v1 = createEmptyWorkflow("Diffed");
    const id = await createWorkflow(v1);
    const v2: WorkflowDocument = {
      ...v1,
      nodes: [
        ...v1.nodes.map((n) => (n.id === "output" ? { ...n, config: { value: "{{input}}!" } } : n)),
        { id: "t1", kind: "template", label: "T", position: { x: 300, y: 0 }, config: {} },
      ],
    };
    await save(id, 1, v2);
    const v3: WorkflowDocument = { ...v2, nodes: v2.nodes.filter((n) => n.id !== "t1") };
    await save(id, 2, v3);

    const res = await getDiff(id, "?from=1&to=2");
    expect(res.status).toBe(200);
    const answer = DiffResponseSchema.parse(await body(res));
    expect(answer).toMatchObject({ workflowId: id, from: 1, to: 2 });
    expect(answer.diff.nodes.added).toEqual([{ id: "t1", kind: "template", label: "T" }]);
    expect(answer.diff.nodes.changed).toEqual([
      { id: "output", kind: "output", label: "Output", movedOnly: false, changes: [{ field: "config.value", before: "", after: "{{input}}!" }] },
    ]);

    const toCurrent = DiffResponseSchema.parse(await body(await getDiff(id, "?from=2")));
    expect(toCurrent).toMatchObject({ from: 2, to: 3 });
    expect(toCurrent.diff.nodes.removed.map((n) => n.id)).toEqual(["t1"]);

    const same = DiffResponseSchema.parse(await body(await getDiff(id, "?from=3&to=3")));
    expect(same.diff.identical).toBe(true);
  });

  it("404 for a missing workflow or version, naming which", async () => {
    const id = await createWorkflow(createEmptyWorkflow("Missing versions"));
    const noVersion = await getDiff(id, "?from=1&to=9");
    expect(noVersion.status).toBe(404);
    expect((await body(noVersion)).error).toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("Version 9") });
    const noWorkflow = await getDiff("wf_nope", "?from=1&to=2");
    expect(noWorkflow.status).toBe(404);
    expect((await body(noWorkflow)).error.message).toContain("wf_nope");
  });

  it("400 for a missing or malformed version in the query", async () => {
    const id = await createWorkflow(createEmptyWorkflow("Bad query"));
    const missing = await getDiff(id, "?to=1");
    expect(missing.status).toBe(400);
    expect((await body(missing)).error).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("from is required"),
      issues: [{ path: "$.from" }],
    });
    const bad = await getDiff(id, "?from=1&to=two");
    expect(bad.status).toBe(400);
    expect((await body(bad)).error.message).toContain("to must be a version number");
    expect((await getDiff(id, "?from=0")).status).toBe(400);
  });
});
