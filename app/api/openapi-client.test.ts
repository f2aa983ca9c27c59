// The typed client (lib/api/aura-client.ts) against the real route handlers, on SQLite and PostgreSQL:
// every answer is parsed by the client's zod schema, and every JSON answer is also validated against the
// OpenAPI document's schema for its operation and status (Ajv, JSON Schema 2020-12), so the document is
// checked against what the routes actually send.
import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import { TEST_OWNER, useTestDatabase } from "@/test/api-harness";
import { routeFetch } from "@/test/route-fetch";
import { routeFiles } from "@/test/route-files";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, buildOpenApiDocument } from "@/lib/contracts/openapi";
import { CLIENT_TLS_HEADER } from "@/lib/auth/client-ip";
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

/** The cookies a response sets, as a browser would send them back (`name=value; name2=value2`). */
const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
const jsonOf = async (p: Promise<Response>) => (await p).json();

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
  // The harness's owner was bootstrapped with this token (AURA_BOOTSTRAP_TOKEN), as a first server start does.
  const api = new AuraClient({ baseUrl: "http://aura.test", fetch: recordingFetch, token: TEST_OWNER.token });
  /** No token: a browser before (or, with a cookie header, after) signing in. */
  const anon = new AuraClient({ baseUrl: "http://aura.test", fetch: recordingFetch });

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

  it("accounts: setup, sign-in, session, workspaces, password, sign-out", async () => {
    // The harness created the owner, so setup is done.
    expect(await jsonOf(anon.raw("GET", "/api/setup"))).toMatchObject({ pending: false });
    await expectApiError(anon.raw("POST", "/api/setup", { body: { email: "someone@aura.test", password: "long-enough-pw" } }), 409, "SETUP_DONE");
    await expectApiError(anon.raw("POST", "/api/auth/sign-in", { body: { email: TEST_OWNER.email, password: "wrong-password" } }), 401, "INVALID_CREDENTIALS");
    const signedIn = await anon.raw("POST", "/api/auth/sign-in", { body: { email: TEST_OWNER.email, password: TEST_OWNER.password } });
    const cookie = cookiesOf(signedIn);
    // The cookie the document names (cookieSession) is the one better-auth sets (plain http: no __Secure- prefix).
    expect(cookie).toContain(`${SESSION_COOKIE}=`);
    // Over HTTPS (server.ts marks TLS connections with CLIENT_TLS_HEADER) better-auth adds the __Secure- prefix.
    const overTls = await anon.raw("POST", "/api/auth/sign-in", {
      body: { email: TEST_OWNER.email, password: TEST_OWNER.password },
      headers: { [CLIENT_TLS_HEADER]: "1" },
    });
    expect(cookiesOf(overTls)).toContain(`${SECURE_SESSION_COOKIE}=`);
    const browser = (method: string, path: string, body?: unknown) => anon.raw(method, path, { body, headers: { cookie } });

    const me = await api.whoami();
    expect(me).toMatchObject({ via: "token", user: { email: TEST_OWNER.email }, workspace: { role: "owner" } });
    expect(await jsonOf(browser("GET", "/api/auth/session"))).toMatchObject({ via: "session", user: { id: me.user.id } });

    // Workspaces: listing works with a token; creating and switching need the browser's session.
    expect((await jsonOf(api.raw("GET", "/api/workspaces"))).workspaces.map((w: { id: string }) => w.id)).toEqual([me.workspace.id]);
    await expectApiError(api.raw("POST", "/api/workspaces", { body: { name: "by token" } }), 403, "FORBIDDEN");
    const second = await browser("POST", "/api/workspaces", { name: "Second" });
    expect(second.status).toBe(201);
    expect(cookiesOf(second)).toContain("aura-workspace=");
    expect(await jsonOf(browser("PUT", "/api/workspaces/current", { workspaceId: me.workspace.id }))).toMatchObject({ id: me.workspace.id, role: "owner" });
    await expectApiError(browser("PUT", "/api/workspaces/current", { workspaceId: "ws_not_mine" }), 404, "NOT_FOUND");

    // Password: not with a token; with the session, then the old password no longer signs in.
    const change = { currentPassword: TEST_OWNER.password, newPassword: "another-long-password" };
    await expectApiError(api.raw("POST", "/api/auth/password", { body: change }), 403, "FORBIDDEN");
    const changed = await browser("POST", "/api/auth/password", change);
    expect(await changed.json()).toEqual({ ok: true });
    const fresh = cookiesOf(changed);
    await expectApiError(
      anon.raw("POST", "/api/auth/sign-in", { body: { email: TEST_OWNER.email, password: TEST_OWNER.password } }),
      401,
      "INVALID_CREDENTIALS",
    );
    // Put it back (the session after the change is the one that still works), then sign out.
    await anon.raw("POST", "/api/auth/password", {
      body: { currentPassword: change.newPassword, newPassword: TEST_OWNER.password },
      headers: { cookie: fresh },
    });
    const out = await anon.raw("POST", "/api/auth/sign-out", { headers: { cookie: fresh } });
    expect(await out.json()).toEqual({ ok: true });
    await expectApiError(anon.raw("GET", "/api/auth/session", { headers: { cookie: fresh } }), 401, "UNAUTHENTICATED");
  });

  it("members, invitations, access links and API tokens", async () => {
    const invite = await jsonOf(api.raw("POST", "/api/invitations", { body: { role: "editor", email: "ed@aura.test" } }));
    expect(invite.url).toMatch(/\/invite\/[^/]+$/);
    const secret = invite.url.split("/").pop();
    expect((await jsonOf(api.raw("GET", "/api/invitations"))).invitations.map((i: { id: string }) => i.id)).toContain(invite.id);
    expect(await jsonOf(anon.raw("GET", `/api/access-links/${secret}`))).toMatchObject({ kind: "invite", role: "editor", email: "ed@aura.test" });
    const joined = await anon.raw("POST", `/api/access-links/${secret}`, { body: { email: "ed@aura.test", name: "Ed", password: "ed-long-password" } });
    expect(cookiesOf(joined)).toContain(`${SESSION_COOKIE}=`);
    const { userId } = await joined.json();
    await expectApiError(anon.raw("GET", `/api/access-links/${secret}`), 410, "LINK_EXPIRED");
    await expectApiError(anon.raw("POST", `/api/access-links/${secret}`, { body: { password: "whatever-long" } }), 410, "LINK_EXPIRED");

    expect((await jsonOf(api.raw("GET", "/api/members"))).members.map((m: { userId: string }) => m.userId)).toContain(userId);
    const patched = await jsonOf(api.raw("PATCH", `/api/members/${userId}`, { body: { role: "viewer" } }));
    expect(patched.members.find((m: { userId: string }) => m.userId === userId).role).toBe("viewer");
    const reset = await api.raw("POST", `/api/members/${userId}/reset`);
    expect(reset.status).toBe(201);
    expect((await reset.json()).url).toMatch(/\/reset\//);
    expect((await api.raw("DELETE", `/api/members/${userId}`)).status).toBe(204);
    await expectApiError(api.raw("DELETE", `/api/members/${userId}`), 404, "NOT_FOUND");

    const withdrawn = await jsonOf(api.raw("POST", "/api/invitations", { body: {} }));
    expect((await api.raw("DELETE", `/api/invitations/${withdrawn.id}`)).status).toBe(204);
    await expectApiError(api.raw("DELETE", `/api/invitations/${withdrawn.id}`), 404, "NOT_FOUND");

    // Tokens through the typed client: create (shown once), list, use, revoke.
    const token = await api.createToken({ name: "ci", role: "viewer" });
    expect(token).toMatchObject({ name: "ci", role: "viewer" });
    expect(token.token.startsWith(token.prefix)).toBe(true);
    expect((await api.listTokens()).map((t) => t.id)).toContain(token.id);
    const viewer = new AuraClient({ baseUrl: "http://aura.test", fetch: recordingFetch, token: token.token });
    expect((await viewer.whoami()).workspace.role).toBe("viewer");
    await expectApiError(viewer.raw("GET", "/api/members"), 403, "FORBIDDEN");
    await expectApiError(viewer.createToken({ name: "up", role: "admin" }), 403, "FORBIDDEN");
    await api.revokeToken(token.id);
    await expectApiError(viewer.whoami(), 401, "UNAUTHENTICATED");
    await expectApiError(api.revokeToken(token.id), 404, "NOT_FOUND");
  });

  it("credentials, audit log and storage", async () => {
    const created = await api.raw("POST", "/api/credentials", { body: { name: "OpenAI", type: "openai", secret: "sk-test-0123456789abcdef" } });
    expect(created.status).toBe(201);
    const cred = await created.json();
    expect(cred).toMatchObject({ name: "OpenAI", type: "openai", hint: "…cdef" });
    expect(JSON.stringify(cred)).not.toContain("sk-test");
    expect((await jsonOf(api.raw("GET", "/api/credentials"))).credentials.map((c: { id: string }) => c.id)).toContain(cred.id);
    expect(await jsonOf(api.raw("GET", `/api/credentials/${cred.id}`))).toMatchObject({ id: cred.id });
    expect(await jsonOf(api.raw("PUT", `/api/credentials/${cred.id}`, { body: { name: "OpenAI main" } }))).toMatchObject({ name: "OpenAI main" });
    await expectApiError(
      api.raw("POST", "/api/credentials", { body: { name: "OpenAI main", type: "anthropic", secret: "x".repeat(20) } }),
      409,
      "CREDENTIAL_NAME_TAKEN",
    );
    expect(await jsonOf(api.raw("DELETE", `/api/credentials/${cred.id}`))).toEqual({ ok: true });
    await expectApiError(api.raw("GET", `/api/credentials/${cred.id}`), 404, "NOT_FOUND");

    const audit = await jsonOf(api.raw("GET", "/api/audit", { query: { action: "credential.created,credential.deleted" } }));
    expect(audit.entries.map((e: { action: string }) => e.action)).toEqual(["credential.deleted", "credential.created"]);
    await expectApiError(api.raw("GET", "/api/audit", { query: { action: "nope" } }), 400, "BAD_REQUEST");

    expect(await jsonOf(api.raw("GET", "/api/storage"))).toMatchObject({ provider });
    expect((await jsonOf(api.raw("POST", "/api/storage/prune"))).outcome).toMatch(/^(done|skipped)$/);
  });

  it("providers (rate limits, breakers) and the run queue", async () => {
    const entry = { key: "model:openai", failureThreshold: 3, windowMs: 30_000, cooldownMs: 10_000, requestsPerMinute: 60, tokensPerMinute: 0 };
    const put = await jsonOf(api.raw("PUT", "/api/providers", { body: { providers: [entry] } }));
    expect(put.providers).toEqual([entry]);
    expect((await jsonOf(api.raw("GET", "/api/providers"))).providers).toEqual([entry]);
    await expectApiError(api.raw("PUT", "/api/providers", { body: { providers: [{ ...entry, key: "ftp:x" }] } }), 400, "BAD_REQUEST");
    const queue = await jsonOf(api.raw("GET", "/api/queue"));
    expect(queue.mode).toBe("in-process");
    expect(queue.processes.length).toBeGreaterThan(0);
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
