// The typed client (lib/api/aura-client.ts) against the real route handlers, on SQLite and PostgreSQL:
// every answer is parsed by the client's zod schema, and every JSON answer is also validated against the
// OpenAPI document's schema for its operation and status (Ajv, JSON Schema 2020-12), so the document is
// checked against what the routes actually send.
import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import { useTestDatabase } from "@/test/api-harness";
import { routeFetch } from "@/test/route-fetch";
import { routeFiles } from "@/test/route-files";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import { buildOpenApiDocument } from "@/lib/contracts/openapi";
import { ApiRequestError, AuraClient, UNAUTHORIZED_HINT } from "@/lib/api/aura-client";
import type { RunEvent } from "@/lib/contracts";

type Json = Record<string, any>;
const openapi: Json = buildOpenApiDocument();
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: "https://aura.test/openapi.json", components: openapi.components });

const templates = routeFiles().map((r) => ({ path: r.path, re: new RegExp(`^${r.path.replace(/\{\w+\}/g, "[^/]+")}$`) }));
/** The document's path for a concrete URL path (static segments first, as Next matches them). */
const templateOf = (pathname: string) =>
  templates.filter((t) => t.re.test(pathname)).sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0))[0]?.path;

interface Seen {
  op: string;
  status: number;
  contentType: string;
  body: string;
}
const seen: Seen[] = [];

/** routeFetch that records every answer for the document check. */
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const res = await routeFetch(request);
  const path = templateOf(new URL(request.url).pathname);
  const contentType = res.headers.get("content-type") ?? "";
  // SSE bodies are consumed by the caller; only JSON answers are recorded.
  if (contentType.includes("json"))
    seen.push({ op: `${request.method.toLowerCase()} ${path}`, status: res.status, contentType, body: await res.clone().text() });
  else seen.push({ op: `${request.method.toLowerCase()} ${path}`, status: res.status, contentType, body: "" });
  return res;
};

const collect = async (events: AsyncIterable<RunEvent>) => {
  const out: RunEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
};

const expectApiError = async (p: Promise<unknown>, status: number, code: string) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiRequestError);
  expect(err).toMatchObject({ status, code });
  return err as ApiRequestError;
};

/** Polls `check` every 50 ms for up to 10 s. */
async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out waiting");
}

const providers = await testProviders();

describe.each(providers)("the typed client against every route on %s", (provider) => {
  useTestDatabase(provider, { runs: true });
  const api = new AuraClient({ baseUrl: "http://aura.test", fetch: recordingFetch, token: "t0ken" });

  it("workflows, versions, import and export", async () => {
    expect((await api.health()).data).toMatchObject({ ok: true, db: provider });
    expect((await api.openApi()).openapi).toBe("3.1.0");
    expect((await api.templates()).templates.length).toBeGreaterThan(0);
    expect((await api.raw("GET", "/api/schema/workflow.json")).status).toBe(200);
    const document = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "who" }] }],
        ["o", "output", { value: "hi {{who}}" }],
      ],
      ["start->o"],
      {},
      "client test",
    );
    const created = await api.createWorkflow({ document });
    expect(created).toMatchObject({ version: 1, name: "client test" });
    expect((await api.listWorkflows()).map((w) => w.id)).toContain(created.id);
    expect((await api.getWorkflow(created.id)).document.nodes).toHaveLength(2);
    const renamed = await api.renameWorkflow(created.id, "client test 2");
    const saved = await api.saveWorkflow(created.id, { baseVersion: renamed.version, document: { ...renamed.document, description: "changed" } });
    expect(saved.version).toBe(3);
    // A stale base version is a typed 409 with the current version.
    const conflict = await expectApiError(api.saveWorkflow(created.id, { baseVersion: 1, document }), 409, "VERSION_CONFLICT");
    expect(conflict.currentVersion).toBe(3);
    expect((await api.listVersions(created.id)).map((v) => v.version)).toEqual([3, 2, 1]);
    expect((await api.getVersion(created.id, 1)).version).toBe(1);
    expect((await api.diff(created.id, 1, 3)).to).toBe(3);
    expect((await api.restoreVersion(created.id, 1)).version).toBe(4);
    const exported = await api.exportWorkflow(created.id);
    const imported = await api.importWorkflow(exported);
    expect(imported.name).not.toBe(exported.name);
    expect(await api.deleteWorkflow(imported.id)).toEqual({ ok: true });
    await expectApiError(api.getWorkflow(imported.id), 404, "NOT_FOUND");
    // A bad body is a typed 400 with one issue per problem.
    const bad = await expectApiError(api.createWorkflow({ name: "" }), 400, "BAD_REQUEST");
    expect(bad.issues.length).toBeGreaterThan(0);
    await expectApiError(api.diff(created.id, 1, 99), 404, "NOT_FOUND");
  });

  it("runs: wait, stream, follow, events, approvals, cancel, resume, retry, fork, checkpoints, stats", async () => {
    const wf = await api.createWorkflow({
      document: buildWorkflow(
        [
          ["start", "start", { fields: [{ name: "who" }] }],
          ["o", "output", { value: "hi {{who}}" }],
        ],
        ["start->o"],
      ),
    });
    const done = await api.startRun(wf.id, { input: { who: "ann" } }, { wait: 20 });
    expect(done.status).toBe(200);
    expect(done.data).toMatchObject({ status: "succeeded", result: "hi ann" });
    const started = await api.startRun(wf.id, { input: { who: "bob" } });
    expect(started.status).toBe(202);
    expect(started.data).toMatchObject({ status: "queued" });
    const streamed = await collect(api.streamNewRun(wf.id, { input: { who: "cy" } }));
    expect(streamed.at(-1)).toMatchObject({ type: "run.finished", result: "hi cy" });
    const runId = done.data.runId;
    const followed = await collect(api.followRun(runId, 0));
    expect(followed[0].seq).toBe(1);
    expect(followed.at(-1)?.type).toBe("run.finished");
    expect(await collect(api.followRun(runId, followed.at(-1)!.seq))).toEqual([]); // 204: nothing follows
    expect((await api.getRun(runId)).status).toBe("succeeded");
    expect((await api.listEvents(runId, { after: -1, limit: 2 })).hasMore).toBe(true);
    expect((await api.listRuns({ workflowId: wf.id })).runs.length).toBeGreaterThanOrEqual(2);
    await expectApiError(api.listRuns({ status: "nope" }), 400, "BAD_REQUEST");
    await expectApiError(api.cancelRun(runId), 409, "RUN_STATE_CONFLICT");
    await expectApiError(api.getRun("run_missing"), 404, "NOT_FOUND");

    const checkpoints = await api.listCheckpoints(runId);
    expect(checkpoints.checkpoints.length).toBeGreaterThan(0);
    const fork = await api.forkRun(runId, { checkpointId: checkpoints.checkpoints[0].id });
    expect(fork.status).toBe("queued");

    // Approval: waits (202 waiting_approval), then the answer lets it finish.
    const approval = await api.createWorkflow({
      document: buildWorkflow(
        [
          ["start", "start", { fields: [] }],
          ["ap", "human-approval", { instructions: "Ok?" }],
          ["o", "output", { value: "approved" }],
        ],
        ["start->ap", "ap->o"],
      ),
    });
    const waiting = await api.startRun(approval.id, {}, { wait: 20 });
    expect(waiting).toMatchObject({ status: 202, data: { status: "waiting_approval" } });
    // The answer can come before the run's row says "waiting" (seen on PostgreSQL): wait for the row.
    await until(async () => (await api.getRun(waiting.data.runId)).status === "waiting");
    expect((await api.answerApproval(waiting.data.runId, "ap", { approved: true })).status).toBe("queued");

    // Cancel a long run, then resume it; a failing run is a dead letter until retried.
    const slow = await api.createWorkflow({
      document: buildWorkflow(
        [
          ["start", "start", { fields: [] }],
          ["d", "delay", { ms: 3000 }],
          ["o", "output", { value: "late" }],
        ],
        ["start->d", "d->o"],
      ),
    });
    const slowRun = await api.startRun(slow.id, {}, { wait: 0.3 });
    expect(slowRun).toMatchObject({ status: 202, data: { status: "running" } });
    expect((await api.cancelRun(slowRun.data.runId, "test")).runId).toBe(slowRun.data.runId);
    await until(async () => (await api.getRun(slowRun.data.runId)).status === "cancelled");
    expect((await api.resumeRun(slowRun.data.runId)).status).toBe("queued");
    await until(async () => (await api.getRun(slowRun.data.runId)).status === "running");
    await api.cancelRun(slowRun.data.runId);

    const failing = await api.createWorkflow({
      document: buildWorkflow(
        [
          ["start", "start", { fields: [] }],
          ["j", "js-transform", { code: "throw new Error('boom')" }],
        ],
        ["start->j"],
      ),
    });
    const failed = await api.startRun(failing.id, {}, { wait: 20 });
    expect(failed.data).toMatchObject({ status: "failed", error: { nodeId: "j" } });
    expect((await api.listDeadLetters({ workflowId: failing.id })).runs.map((r) => r.id)).toContain(failed.data.runId);
    expect((await api.retryRun(failed.data.runId)).runId).not.toBe(failed.data.runId);

    expect((await api.overview()).counts.succeeded).toBeGreaterThan(0);
    expect((await api.topology(wf.id)).observed.runs).toBeGreaterThanOrEqual(0);
    expect((await api.topology(wf.id, { view: "stats" })).observed).toBeDefined();
    expect((await api.raw("GET", "/api/metrics", { accept: "text/plain" })).headers.get("content-type")).toContain("text/plain");
  });

  it("webhooks: triggers, lastNode answer, wrong secret", async () => {
    const wf = await api.createWorkflow({
      document: buildWorkflow(
        [
          ["start", "start", { fields: [{ name: "n", type: "number" }] }],
          ["o", "output", { value: "{{n}}" }],
        ],
        ["start->o"],
      ),
    });
    const [hook] = await api.putTriggers(wf.id, { triggers: [{ kind: "webhook", responseMode: "lastNode" }] });
    expect((await api.getTriggers(wf.id))[0].id).toBe(hook.id);
    const answer = await api.callWebhook(hook.url!, { n: 7 });
    expect(answer).toEqual({ status: 200, data: 7 });
    await expectApiError(api.callWebhook(`/api/hooks/${wf.id}/wrong`), 403, "FORBIDDEN");
    await api.putTriggers(wf.id, { triggers: [{ id: hook.id, kind: "webhook", responseMode: "immediately" }] });
    const immediate = await api.raw("POST", `/api/hooks/${wf.id}`, { body: { n: 1 }, headers: { "x-aura-webhook-secret": hook.secret! } });
    expect(immediate.status).toBe(202);
  });
});

describe("the typed client's errors", () => {
  it("a 401 says how to get a token; a body that breaks the contract is INVALID_RESPONSE", async () => {
    const api = (answer: Response) => new AuraClient({ baseUrl: "http://x.test/", fetch: () => Promise.resolve(answer) });
    const e401 = await expectApiError(
      api(new Response(JSON.stringify({ error: { code: "UNAUTHORIZED", message: "Sign in." } }), { status: 401 })).listWorkflows(),
      401,
      "UNAUTHORIZED",
    );
    expect(e401.message).toBe(`Sign in. ${UNAUTHORIZED_HINT}`);
    await expectApiError(api(new Response(JSON.stringify({ workflows: [{ id: 1 }] }))).listWorkflows(), 200, "INVALID_RESPONSE");
    await expectApiError(api(new Response("<html>", { status: 502 })).listWorkflows(), 502, "HTTP_502");
    const offline = new AuraClient({ baseUrl: "http://x.test", fetch: () => Promise.reject(new Error("ECONNREFUSED")) });
    await expectApiError(offline.listWorkflows(), 0, "NETWORK_ERROR");
    expect(() => new AuraClient({ baseUrl: "localhost:3000x y" })).toThrow(/not a server URL/);
  });

  it("sends the bearer token", async () => {
    let auth: string | null = null;
    const api = new AuraClient({
      baseUrl: "http://x.test",
      token: "abc",
      fetch: (input, init) => {
        auth = new Request(input, init).headers.get("authorization");
        return Promise.resolve(new Response(JSON.stringify({ workflows: [] })));
      },
    });
    await api.listWorkflows();
    expect(auth).toBe("Bearer abc");
  });
});

describe("the OpenAPI document against the answers above", () => {
  it("every JSON answer fits the document's schema for its operation and status, and every operation was called", () => {
    const problems: string[] = [];
    for (const s of seen) {
      const [method, path] = s.op.split(" ");
      const op = openapi.paths[path]?.[method];
      if (!op) {
        problems.push(`${s.op}: not in the document`);
        continue;
      }
      const response = op.responses[String(s.status)];
      if (!response) {
        problems.push(`${s.op}: status ${s.status} is not documented`);
        continue;
      }
      if (!s.contentType.includes("json")) continue;
      const schema = response.content?.["application/json"]?.schema as { $ref: string } | undefined;
      if (!schema) {
        problems.push(`${s.op} ${s.status}: JSON answer, no JSON schema documented`);
        continue;
      }
      const validate = ajv.getSchema(`https://aura.test/openapi.json${schema.$ref}`)!;
      if (!validate(JSON.parse(s.body))) problems.push(`${s.op} ${s.status}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(problems).toEqual([]);
    // The calls above reach every operation of the document.
    const reached = new Set(seen.map((s) => s.op));
    const all = Object.entries(openapi.paths as Json).flatMap(([p, ops]) => Object.keys(ops as Json).map((m) => `${m} ${p}`));
    expect(all.filter((op) => !reached.has(op))).toEqual([]);
  });
});
