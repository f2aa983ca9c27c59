// The authorization matrix: every route handler under app/api, tried as anonymous, viewer, editor,
// admin and owner of workspace A, and as the owner of another workspace B. The expected rule of each
// route is written here on purpose: a new route (or method) without a line in RULES fails, and so does
// a route whose declared rule differs from this table. Members and tokens are made through the public
// API (invitation → account → token), never a back door.
import { describe, expect, it } from "vitest";
import { ROUTE_RULE } from "@/lib/server/api-route";
import { body, createWorkflow, req, startRun, useTestDatabase } from "@/test/api-harness";
import { buildWorkflow } from "@/lib/engine/testing";
import { joinAs, outsider, tokenFor } from "@/test/members-harness";

type Access = "public" | "viewer" | "editor" | "admin" | "owner";
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** route file (relative to app/api) → method → least access. */
const RULES: Record<string, Partial<Record<(typeof METHODS)[number], Access>>> = {
  "access-links/[token]": { GET: "public", POST: "public" },
  audit: { GET: "admin" },
  "auth/password": { POST: "viewer" },
  "auth/session": { GET: "viewer" },
  "auth/sign-in": { POST: "public" },
  "auth/sign-out": { POST: "public" },
  credentials: { GET: "viewer", POST: "admin" },
  "credentials/[id]": { GET: "viewer", PUT: "admin", DELETE: "admin" },
  "dead-letters": { GET: "viewer" },
  health: { GET: "public" },
  "hooks/[workflowId]": { POST: "public" },
  "hooks/[workflowId]/[secret]": { POST: "public" },
  invitations: { GET: "admin", POST: "admin" },
  "invitations/[id]": { DELETE: "admin" },
  members: { GET: "admin" },
  "members/[userId]": { PATCH: "admin", DELETE: "admin" },
  "members/[userId]/reset": { POST: "admin" },
  metrics: { GET: "admin" },
  providers: { GET: "viewer", PUT: "admin" },
  queue: { GET: "viewer" },
  runs: { GET: "viewer" },
  "runs/[id]": { GET: "viewer" },
  "runs/[id]/approvals/[nodeId]": { POST: "editor" },
  "runs/[id]/cancel": { POST: "editor" },
  "runs/[id]/checkpoints": { GET: "viewer" },
  "runs/[id]/events": { GET: "viewer" },
  "runs/[id]/fork": { POST: "editor" },
  "runs/[id]/resume": { POST: "editor" },
  "runs/[id]/retry": { POST: "editor" },
  "runs/[id]/stream": { GET: "viewer" },
  "openapi.json": { GET: "public" },
  "schema/workflow.json": { GET: "public" },
  setup: { GET: "public", POST: "public" },
  "stats/overview": { GET: "viewer" },
  storage: { GET: "admin" },
  "storage/prune": { POST: "admin" },
  templates: { GET: "viewer" },
  tokens: { GET: "viewer", POST: "viewer" },
  "tokens/[id]": { DELETE: "viewer" },
  workflows: { GET: "viewer", POST: "editor" },
  "workflows/[id]": { GET: "viewer", PUT: "editor", DELETE: "editor" },
  "workflows/[id]/diff": { GET: "viewer" },
  "workflows/[id]/export": { GET: "viewer" },
  "workflows/[id]/runs": { POST: "editor" },
  "workflows/[id]/topology": { GET: "viewer" },
  "workflows/[id]/triggers": { GET: "viewer", PUT: "editor" },
  "workflows/[id]/versions": { GET: "viewer" },
  "workflows/[id]/versions/[version]": { GET: "viewer" },
  "workflows/[id]/versions/[version]/restore": { POST: "editor" },
  "workflows/import": { POST: "editor" },
  workspaces: { GET: "viewer", POST: "viewer" },
  "workspaces/current": { PUT: "viewer" },
};

type Handler = ((r: Request, c?: { params: Promise<Record<string, string>> }) => Promise<Response>) & { [ROUTE_RULE]?: Access };
const modules = import.meta.glob<Record<string, unknown>>("./**/route.ts");
const routes = Object.keys(modules)
  .map((file) => file.replace(/^\.\//, "").replace(/\/route\.ts$/, ""))
  .sort();

const RANK: Record<Exclude<Access, "public">, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };
const CALLERS = ["viewer", "editor", "admin", "owner"] as const;

describe("authorization matrix", () => {
  useTestDatabase("sqlite", { runs: true });

  // Workspace A (the default one): owner (bootstrap token) plus a viewer, an editor and an admin who
  // joined by invitation. Workspace B: created by an outsider, who owns it.
  const tokens = {} as Record<(typeof CALLERS)[number] | "outsider", string>;
  const fixture = { workflowId: "", runId: "", secretWord: "Matrix-Alpha-7f3" };

  async function call(
    route: string,
    method: string,
    opts: { json?: unknown; token?: string | null; headers?: Record<string, string>; params?: Record<string, string> } = {},
  ): Promise<Response> {
    // A missing token must never fall back to the harness's owner token: that would pass every case.
    if ("token" in opts && opts.token === undefined) throw new Error(`no token for this caller (set-up failed?)`);
    const mod = await modules[`./${route}/route.ts`]();
    const handler = mod[method] as Handler;
    const path = `/api/${route}`;
    return handler(req(path, { method, json: opts.json, token: opts.token, headers: opts.headers }), { params: Promise.resolve(opts.params ?? {}) });
  }

  it("sets up two workspaces through the public API", async () => {
    tokens.owner = (await import("@/test/api-harness")).TEST_OWNER.token;
    for (const role of ["viewer", "editor", "admin"] as const) tokens[role] = await tokenFor(await joinAs(role, `${role}@aura.test`), `${role} token`);
    // The outsider joins A as a viewer (to get an account), creates B, and is removed from A.
    const b = await outsider("outsider@aura.test");
    tokens.outsider = b.token;
    expect((await body(await call("auth/session", "GET", { token: tokens.outsider }))).workspace.id).toBe(b.workspaceId);
    fixture.workflowId = await createWorkflow({
      ...buildWorkflow(
        [
          ["start", "start"],
          ["t", "template", { template: "x" }],
          ["out", "output"],
        ],
        ["start->t", "t->out"],
        {},
        fixture.secretWord,
      ),
    });
    fixture.runId = await startRun(fixture.workflowId, {});
  }, 60_000);

  it("every route file and method has a rule, and it is the one in this table", async () => {
    const found: Record<string, Record<string, Access | undefined>> = {};
    for (const route of routes) {
      const mod = await modules[`./${route}/route.ts`]();
      for (const m of METHODS) if (typeof mod[m] === "function") (found[route] ??= {})[m] = (mod[m] as Handler)[ROUTE_RULE];
    }
    expect(found).toEqual(RULES);
  });

  /** Params that point at workspace A's things; `missing` for ids that exist nowhere (so allowed writes change nothing). */
  const paramsFor = (route: string, missing: boolean): Record<string, string> => ({
    id: route.startsWith("runs/") ? fixture.runId : route.startsWith("workflows/") ? (missing ? "wf_doesnotexist" : fixture.workflowId) : "tok_doesnotexist",
    nodeId: "t",
    version: "1",
    userId: "user_doesnotexist",
    workflowId: fixture.workflowId,
    secret: "not-the-secret",
    token: "al_not-a-link",
  });
  const destructive = (method: string) => method === "DELETE";

  const cases = Object.entries(RULES).flatMap(([route, methods]) => Object.entries(methods).map(([method, access]) => ({ route, method, access: access })));

  it.each(cases.filter((c) => c.access !== "public"))(
    "$method /api/$route ($access): anonymous 401, lower roles 403, others pass",
    async ({ route, method, access }) => {
      const anonymous = await call(route, method, { token: null, json: method === "GET" ? undefined : {}, params: paramsFor(route, true) });
      expect(anonymous.status).toBe(401);
      expect((await body(anonymous)).error.code).toBe("UNAUTHENTICATED");
      const forged = await call(route, method, {
        token: "aura_forged-token-that-is-long-enough-000",
        json: method === "GET" ? undefined : {},
        params: paramsFor(route, true),
      });
      expect(forged.status).toBe(401);
      for (const who of CALLERS) {
        const res = await call(route, method, { token: tokens[who], json: method === "GET" ? undefined : {}, params: paramsFor(route, destructive(method)) });
        const text = await res.clone().text();
        if (RANK[who] < RANK[access as keyof typeof RANK]) {
          expect(res.status, `${who}: ${text}`).toBe(403);
          expect(text).not.toContain(fixture.secretWord);
        } else {
          expect([401, 403], `${who}: ${text}`).not.toContain(res.status);
        }
      }
    },
  );

  it.each(cases.filter((c) => c.access !== "public" && c.access !== "owner"))(
    "$method /api/$route as the owner of another workspace: A's things are not found and never leak",
    async ({ route, method }) => {
      const res = await call(route, method, { token: tokens.outsider, json: method === "GET" ? undefined : {}, params: paramsFor(route, false) });
      const text = await res.text();
      expect(text).not.toContain(fixture.secretWord);
      if (/\[(id|nodeId|version)\]/.test(route) && (route.startsWith("workflows/") || route.startsWith("runs/"))) {
        // Not found; or a 400 for the empty body, checked before any lookup (it says nothing about the id).
        expect([400, 404], text).toContain(res.status);
      } else {
        expect(text).not.toContain(fixture.runId);
        expect([401, 403], text).not.toContain(res.status);
      }
    },
  );

  it("workspace A's workflow and run are untouched by all of the above", async () => {
    const wf = await call("workflows/[id]", "GET", { params: { id: fixture.workflowId } });
    expect(wf.status).toBe(200);
    expect((await body(wf)).name).toBe(fixture.secretWord);
    expect((await call("runs/[id]", "GET", { params: { id: fixture.runId } })).status).toBe(200);
  });
});
