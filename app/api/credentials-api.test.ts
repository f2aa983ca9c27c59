// Credentials API: route handlers called with real Requests against a real database (SQLite, and
// PostgreSQL when reachable); a run through the real worker pool uses a credential against a loopback
// echo server, and the secret appears in no answer.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Before any credential is sealed (the key is read once per process). The HTTP request node may call
// loopback only when the server's admin allows it (SSRF guard).
process.env.AURA_ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AURA_HTTP_ALLOW_PRIVATE = "1";

import { body, createWorkflow, ctx, req, startRun, useTestDatabase, waitForRun } from "@/test/api-harness";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import { resolveCredential } from "@/lib/server/credentials";
import { seal } from "@/lib/auth/crypto/secret-box";
import * as list from "./credentials/route";
import * as one from "./credentials/[id]/route";
import * as workflowOne from "./workflows/[id]/route";
import * as exporter from "./workflows/[id]/export/route";
import * as importer from "./workflows/import/route";
import * as eventsRoute from "./runs/[id]/events/route";
import * as startRoute from "./workflows/[id]/runs/route";

const SECRET = "sk-live-SECRET-4f3e2d1c0b";

let echo: { server: Server; url: string; seen: IncomingHttpHeaders[] };
beforeAll(async () => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((q, res) => {
    seen.push(q.headers);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ youSent: q.headers.authorization ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  echo = { server, seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});
afterAll(() => new Promise<void>((r) => echo.server.close(() => r())));

const create = (json: unknown) => list.POST(req("/api/credentials", { json }));
const put = (id: string, json: unknown) => one.PUT(req(`/api/credentials/${id}`, { method: "PUT", json }), ctx({ id }));
const del = (id: string) => one.DELETE(req(`/api/credentials/${id}`, { method: "DELETE" }), ctx({ id }));
const get = (id: string) => one.GET(req(`/api/credentials/${id}`), ctx({ id }));

const httpDoc = (credentialId: string | undefined, name = "Echo caller") =>
  buildWorkflow(
    [
      ["start", "start", { fields: [] }],
      ["call", "http-request", { url: `${echo.url}/echo`, allowedHosts: ["127.0.0.1"], ...(credentialId ? { auth: { credentialId } } : {}) }],
      ["out", "output", { value: "" }],
    ],
    ["start->call", "call->out"],
    {},
    name,
  );

const providers = await testProviders();

describe.each(providers)("credentials API on %s", (provider) => {
  const t = useTestDatabase(provider, { runs: true });

  it("creates each type and never answers with the secret; the stored value is sealed", async () => {
    const bodies = [
      { name: "OpenAI prod", type: "openai", secret: SECRET, baseUrl: "https://llm.example.com/v1" },
      { name: "Claude", type: "anthropic", secret: `${SECRET}-ant` },
      { name: "Billing token", type: "http-bearer", secret: `${SECRET}-bearer` },
      { name: "Basic", type: "http-basic", secret: "short", username: "alice" },
      { name: "Key header", type: "http-header", secret: `${SECRET}-hdr`, headerName: "X-Api-Key" },
    ];
    for (const b of bodies) {
      const res = await create(b);
      const text = await res.clone().text();
      expect(res.status, text).toBe(201);
      expect(text).not.toContain(b.secret);
      const view = await body(res);
      expect(view).toMatchObject({ name: b.name, type: b.type });
      expect(view.id).toMatch(/^cred_/);
      expect(view.hint).toBe(b.secret.length >= 12 ? `…${b.secret.slice(-4)}` : "");
      expect(Object.keys(view)).not.toContain("secret");
    }
    const listed = await list.GET(req("/api/credentials"));
    const listText = await listed.clone().text();
    expect((await body(listed)).credentials.map((c: { name: string }) => c.name)).toEqual(["Basic", "Billing token", "Claude", "Key header", "OpenAI prod"]);
    expect(listText).not.toContain(SECRET);
    expect(listText).not.toContain("v1:");
    const rows = await t().db.prisma.credential.findMany();
    for (const r of rows) {
      expect(r.secret).toMatch(/^v1:k[0-9a-f]{10}:/);
      expect(r.secret).not.toContain(SECRET);
    }
  });

  it("refuses bad input with clear 400s and duplicate names with 409", async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: "x", type: "openai" }, /secret/],
      [{ name: "", type: "http-bearer", secret: "abc" }, /name/i],
      [{ name: "y", type: "smtp", secret: "abc" }, /type/],
      [{ name: "z", type: "http-header", secret: "abc", headerName: "Bad Header" }, /header name/i],
      [{ name: "w", type: "http-basic", secret: "abc" }, /username/],
      [{ name: "v", type: "openai", secret: "abc", baseUrl: "ftp://x" }, /base URL/],
    ];
    for (const [b, message] of cases) {
      const res = await create(b);
      expect(res.status).toBe(400);
      expect((await body(res)).error.message).toMatch(message);
    }
    const dup = await create({ name: "OpenAI prod", type: "openai", secret: "another-secret-value" });
    expect(dup.status).toBe(409);
    expect((await body(dup)).error.code).toBe("CREDENTIAL_NAME_TAKEN");
  });

  it("updates: no secret keeps the stored one, a new secret replaces it, the type cannot change", async () => {
    const c = await body(await create({ name: "Rotating", type: "http-bearer", secret: "first-secret-value-1111" }));
    const renamed = await put(c.id, { name: "Rotated" });
    expect(renamed.status).toBe(200);
    expect(await body(renamed)).toMatchObject({ name: "Rotated", hint: "…1111" });
    expect(await resolveCredential(t().db, "ws_default", c.id)).toMatchObject({ token: "first-secret-value-1111" });
    const emptySecret = await put(c.id, { secret: "" });
    expect(emptySecret.status).toBe(200);
    expect(await resolveCredential(t().db, "ws_default", c.id)).toMatchObject({ token: "first-secret-value-1111" });
    const rotated = await body(await put(c.id, { secret: "second-secret-value-2222" }));
    expect(rotated.hint).toBe("…2222");
    expect(await resolveCredential(t().db, "ws_default", c.id)).toMatchObject({ token: "second-secret-value-2222" });
    expect((await put(c.id, { headerName: "X-Key" })).status).toBe(400);
    expect((await put(c.id, { type: "openai" })).status).toBe(400);
    expect((await put(c.id, { name: "OpenAI prod" })).status).toBe(409);
  });

  it("answers 404 for unknown ids, malformed ids and another workspace's credential", async () => {
    const db = t().db;
    await db.prisma.workspace.create({ data: { id: "ws_other", name: "Other" } });
    await db.prisma.credential.create({
      data: { id: "cred_otherws", workspaceId: "ws_other", name: "Theirs", type: "http-bearer", secret: "v1:x:y:z:w", hint: "" },
    });
    for (const id of ["cred_otherws", "cred_missing", "../etc/passwd", "x".repeat(500)]) {
      expect((await get(id)).status).toBe(404);
      expect((await put(id, { name: "Mine now" })).status).toBe(404);
      expect((await del(id)).status).toBe(404);
    }
    expect((await body(await list.GET(req("/api/credentials")))).credentials.map((c: { id: string }) => c.id)).not.toContain("cred_otherws");
    expect(await resolveCredential(db, "ws_default", "cred_otherws")).toBeNull();
  });

  it("refuses to delete a credential a workflow uses (409 naming it), then deletes once it is unused", async () => {
    const c = await body(await create({ name: "In use", type: "http-bearer", secret: "in-use-secret-value-9999" }));
    const wf = await createWorkflow(httpDoc(c.id, "Uses it"));
    const refused = await del(c.id);
    expect(refused.status).toBe(409);
    expect(await body(refused)).toMatchObject({ error: { code: "CREDENTIAL_IN_USE", workflows: [{ id: wf, name: "Uses it" }] } });
    const detail = await body(await workflowOne.GET(req(`/api/workflows/${wf}`), ctx({ id: wf })));
    const saved = await workflowOne.PUT(
      req(`/api/workflows/${wf}`, { method: "PUT", json: { baseVersion: detail.version, document: httpDoc(undefined, "Uses it") } }),
      ctx({ id: wf }),
    );
    expect(saved.status).toBe(200);
    expect((await del(c.id)).status).toBe(200);
    expect((await get(c.id)).status).toBe(404);
  });

  it("exports the credential's name instead of its id and maps names back on import", async () => {
    const c = await body(await create({ name: "Export me", type: "http-bearer", secret: "export-secret-value-5555" }));
    const wf = await createWorkflow(httpDoc(c.id, "Exported"));
    const file = await (await exporter.GET(req(`/api/workflows/${wf}/export`), ctx({ id: wf }))).text();
    expect(file).not.toContain(c.id);
    expect(file).not.toContain("export-secret-value-5555");
    const exported = JSON.parse(file);
    expect(exported.nodes.find((n: { id: string }) => n.id === "call").config.auth).toEqual({ credentialName: "Export me" });

    // Same workspace: the name maps back to the credential.
    const back = await body(await importer.POST(req("/api/workflows/import", { json: exported })));
    expect(back.unmappedCredentials).toBeUndefined();
    const again = await body(await workflowOne.GET(req(`/api/workflows/${back.id}`), ctx({ id: back.id })));
    expect(again.document.nodes.find((n: { id: string }) => n.id === "call").config.auth).toEqual({ credentialId: c.id });

    // A name this workspace does not have is reported, kept as a name, and blocks the node until mapped.
    const foreign = structuredClone(exported);
    foreign.nodes.find((n: { id: string }) => n.id === "call").config.auth = { credentialName: "Somewhere else" };
    const reported = await body(await importer.POST(req("/api/workflows/import", { json: foreign })));
    expect(reported.unmappedCredentials).toEqual([{ name: "Somewhere else", nodes: [{ id: "call", label: "call" }] }]);
    const refused = await startRoute.POST(req(`/api/workflows/${reported.id}/runs`, { json: { input: {} } }), ctx({ id: reported.id }));
    expect(refused.status).toBe(400);
    expect(JSON.stringify((await body(refused)).error.issues)).toContain('The credential \\"Somewhere else\\" (from an imported file) is not set');

    // The import dialog's choices: map the name to a credential, or leave it unset.
    const mapped = await body(await importer.POST(req("/api/workflows/import", { json: { document: foreign, credentials: { "Somewhere else": c.id } } })));
    expect(mapped.unmappedCredentials).toBeUndefined();
    const mappedDoc = await body(await workflowOne.GET(req(`/api/workflows/${mapped.id}`), ctx({ id: mapped.id })));
    expect(mappedDoc.document.nodes.find((n: { id: string }) => n.id === "call").config.auth).toEqual({ credentialId: c.id });
    const unset = await body(await importer.POST(req("/api/workflows/import", { json: { document: foreign, credentials: { "Somewhere else": null } } })));
    const unsetDoc = await body(await workflowOne.GET(req(`/api/workflows/${unset.id}`), ctx({ id: unset.id })));
    expect(unsetDoc.document.nodes.find((n: { id: string }) => n.id === "call").config.auth).toBeUndefined();
  });

  it("runs an HTTP node with the credential; the echoed secret is masked in the run, its events and its result", async () => {
    const c = await body(await create({ name: "Run token", type: "http-bearer", secret: SECRET }));
    const wf = await createWorkflow(httpDoc(c.id, "Echo run"));
    const runId = await startRun(wf, {});
    const run = await waitForRun(runId, ["succeeded", "failed"]);
    expect(run.status, JSON.stringify(run.error)).toBe("succeeded");
    expect(echo.seen.at(-1)?.authorization).toBe(`Bearer ${SECRET}`);
    const events = await (await eventsRoute.GET(req(`/api/runs/${runId}/events?after=-1&limit=1000`), ctx({ id: runId }))).text();
    expect(events).not.toContain(SECRET);
    expect(events).toContain("Bearer ••••");
    expect(JSON.stringify(run)).not.toContain(SECRET);
    const stored = await t().db.prisma.runEvent.findMany({ where: { runId } });
    expect(JSON.stringify(stored)).not.toContain(SECRET);
  });

  it("fails the run with CREDENTIAL_UNAVAILABLE when the stored secret does not decrypt with this server's key", async () => {
    const c = await body(await create({ name: "Sealed elsewhere", type: "http-bearer", secret: "placeholder-secret-000" }));
    const foreign = seal("other-server-secret-123456", { id: "kforeign", key: randomBytes(32) });
    await t().db.prisma.credential.update({ where: { id: c.id }, data: { secret: foreign } });
    const before = echo.seen.length;
    const runId = await startRun(await createWorkflow(httpDoc(c.id, "Undecryptable")), {});
    const run = await waitForRun(runId, ["succeeded", "failed"]);
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ code: "CREDENTIAL_UNAVAILABLE" });
    expect(run.error.message).toMatch(/kforeign/);
    expect(echo.seen.length).toBe(before); // nothing was sent without the credential
  });
});
