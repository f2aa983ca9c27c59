// The audit log through the API: every use-case wired today leaves one entry, GET /api/audit pages
// them newest first with filters, and a failing audit write never fails the change it records.
import { describe, expect, it, vi } from "vitest";
import { body, createWorkflow, ctx, req, startRun, useTestDatabase, waitForRun, TEST_OWNER } from "@/test/api-harness";
import { createEmptyWorkflow } from "@/lib/workflow";
import { testProviders } from "@/lib/db/testing";
import * as auditRepo from "@/lib/db/audit";
import { buildWorkflow } from "@/lib/engine/testing";
import { recordAudit, auditDetailText, MAX_DETAIL_CHARS } from "@/lib/server/audit";
import { setLogSink } from "@/lib/server/observability/logger";
import * as auditRoute from "./route";
import * as one from "../workflows/[id]/route";
import * as importer from "../workflows/import/route";
import * as restore from "../workflows/[id]/versions/[version]/restore/route";
import * as triggersRoute from "../workflows/[id]/triggers/route";
import * as cancelRoute from "../runs/[id]/cancel/route";
import * as approvalRoute from "../runs/[id]/approvals/[nodeId]/route";

const audit = async (query = "") => {
  const res = await auditRoute.GET(req(`/api/audit${query}`));
  return { status: res.status, json: await body(res) };
};

describe("audit detail", () => {
  it("redacts secret-looking keys, cuts long strings and caps the size", () => {
    const text = auditDetailText({ name: "x", webhookSecret: "s3cr3t", nested: { apiKey: "k", password: "p", ok: 1 }, long: "a".repeat(1000) });
    expect(text).not.toMatch(/s3cr3t|"k"|"p"/);
    const parsed = JSON.parse(text);
    expect(parsed).toMatchObject({ name: "x", webhookSecret: "[redacted]", nested: { apiKey: "[redacted]", password: "[redacted]", ok: 1 } });
    expect(parsed.long.length).toBeLessThanOrEqual(301);
    const huge = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, "v".repeat(290)]));
    const capped = auditDetailText(huge);
    expect(capped.length).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
    expect(JSON.parse(capped)).toMatchObject({ truncated: true });
  });

  it("keeps a __proto__ key as data, never as a prototype", () => {
    const detail = JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(JSON.parse(auditDetailText(detail))).toHaveProperty("__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe.each(await testProviders())("audit log on %s", (provider) => {
  useTestDatabase(provider, { runs: true });

  it("records workflow create, save, rename, restore, import, triggers and delete, newest first", async () => {
    const id = await createWorkflow(createEmptyWorkflow("Audited"));
    const got = await body(await one.GET(req(`/api/workflows/${id}`), ctx({ id })));
    const saved = await one.PUT(req(`/api/workflows/${id}`, { method: "PUT", json: { baseVersion: 1, document: got.document } }), ctx({ id }));
    expect(saved.status).toBe(200);
    // A refused save (stale base version) is not an event of the log.
    const stale = await one.PUT(req(`/api/workflows/${id}`, { method: "PUT", json: { baseVersion: 1, document: got.document } }), ctx({ id }));
    expect(stale.status).toBe(409);
    await one.PUT(req(`/api/workflows/${id}`, { method: "PUT", json: { name: "Renamed" } }), ctx({ id }));
    expect((await restore.POST(req(`/api/workflows/${id}/versions/1/restore`, { method: "POST" }), ctx({ id, version: "1" }))).status).toBe(200);
    const t = await triggersRoute.PUT(req(`/api/workflows/${id}/triggers`, { method: "PUT", json: { triggers: [{ kind: "webhook" }] } }), ctx({ id }));
    const secret = (await body(t)).triggers[0].secret as string;
    const imported = await body(await importer.POST(req("/api/workflows/import", { json: createEmptyWorkflow("Imported one") })));
    expect((await one.DELETE(req(`/api/workflows/${id}`, { method: "DELETE" }), ctx({ id }))).status).toBe(200);

    const { status, json } = await audit("?limit=200");
    expect(status).toBe(200);
    const mine = json.entries.filter((e: any) => e.targetId === id || e.targetId === imported.id);
    expect(mine.map((e: any) => e.action)).toEqual([
      "workflow.deleted",
      "workflow.imported",
      "trigger.changed",
      "workflow.restored",
      "workflow.renamed",
      "workflow.saved",
      "workflow.created",
    ]);
    expect(mine.find((e: any) => e.action === "workflow.saved").detail).toEqual({ version: 2, force: false });
    expect(mine.find((e: any) => e.action === "workflow.restored").detail).toMatchObject({ from: 1, version: 4 });
    expect(mine.find((e: any) => e.action === "trigger.changed").detail).toEqual({ before: [], after: ["webhook"], rotated: 0 });
    expect(JSON.stringify(json)).not.toContain(secret);
    // The route wrapper's caller (the owner's bootstrap token) is the actor of every entry.
    for (const e of mine) expect(e).toMatchObject({ workspaceId: "ws_default", actorEmail: TEST_OWNER.email, targetType: "workflow" });
  });

  it("records runs started (with the trigger), cancelled and approvals answered", async () => {
    const wf = await createWorkflow(
      buildWorkflow(
        [
          ["start", "start", {}],
          ["ap", "human-approval", { instructions: "ok?" }],
          ["o", "output", { value: "done" }],
        ],
        ["start->ap", "ap->o:approved"],
      ),
    );
    const first = await startRun(wf);
    await waitForRun(first, ["waiting"]);
    expect(
      (await approvalRoute.POST(req(`/api/runs/${first}/approvals/ap`, { json: { approved: true, comment: "fine" } }), ctx({ id: first, nodeId: "ap" })))
        .status,
    ).toBe(202);
    const second = await startRun(wf);
    await waitForRun(second, ["waiting"]);
    expect((await cancelRoute.POST(req(`/api/runs/${second}/cancel`, { method: "POST" }), ctx({ id: second }))).status).toBe(202);

    const runs = (await audit(`?action=run.started,run.cancelled,approval.answered`)).json.entries.filter((e: any) => [first, second].includes(e.targetId));
    expect(runs.map((e: any) => [e.action, e.targetId])).toEqual([
      ["run.cancelled", second],
      ["run.started", second],
      ["approval.answered", first],
      ["run.started", first],
    ]);
    expect(runs[1].detail).toMatchObject({ workflowId: wf, trigger: "api", version: 1 });
    expect(runs[2].detail).toEqual({ nodeId: "ap", approved: true });
    expect(runs[0].detail).toMatchObject({ was: "waiting", reason: "cancelled by user" });
  });

  it("pages with a cursor and filters by action, actor and time", async () => {
    for (let i = 0; i < 5; i++)
      await recordAudit({
        workspaceId: "ws_default",
        action: "token.created",
        actor: { id: "usr_pager", email: "p@x.test" },
        target: { type: "token", id: `tok_${i}` },
      });
    const p1 = (await audit("?actorId=usr_pager&limit=2")).json;
    expect(p1.entries.map((e: any) => e.targetId)).toEqual(["tok_4", "tok_3"]);
    const p2 = (await audit(`?actorId=usr_pager&limit=2&cursor=${p1.nextCursor}`)).json;
    expect(p2.entries.map((e: any) => e.targetId)).toEqual(["tok_2", "tok_1"]);
    const p3 = (await audit(`?actorId=usr_pager&limit=2&cursor=${p2.nextCursor}`)).json;
    expect(p3).toMatchObject({ entries: [{ targetId: "tok_0", actorEmail: "p@x.test" }], nextCursor: null });
    expect((await audit("?action=token.created&from=2999-01-01")).json.entries).toEqual([]);
    expect((await audit(`?action=token.created&to=${Date.now() + 1000}`)).json.entries.length).toBeGreaterThanOrEqual(5);
  });

  it("answers 400 for an unknown action, a bad time or a forged cursor", async () => {
    expect((await audit("?action=workflow.hacked")).json.error).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining('Unknown audit action "workflow.hacked"'),
    });
    expect((await audit("?from=yesterday")).status).toBe(400);
    expect((await audit(`?cursor=${Buffer.from("x|../etc").toString("base64url")}`)).status).toBe(400);
    expect((await audit("?limit=100000")).status).toBe(400);
  });

  it("a failing audit write is logged with the entry and never thrown into the change", async () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    const spy = vi.spyOn(auditRepo, "insertAuditEntry").mockRejectedValue(new Error("disk full"));
    try {
      const id = await createWorkflow(createEmptyWorkflow("Still created"));
      expect(id).toMatch(/^wf_/);
    } finally {
      spy.mockRestore();
      setLogSink(null);
    }
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "audit entry not written");
    expect(logged).toMatchObject({ level: "error", audit: { action: "workflow.created" }, err: { message: "disk full" } });
  });
});
