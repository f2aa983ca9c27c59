/**
 * Helpers for API tests that call Next route handlers directly with real Requests: build a request,
 * the `{ params }` context, read a JSON body; create a workflow, start a run and wait for a status.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { setDatabase } from "@/lib/db/database";
import type { Database } from "@/lib/db/client";
import { bootstrapAccounts } from "@/lib/auth/setup";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { shutdownRunManager } from "@/lib/server/runs";
import { stopScheduler } from "@/lib/server/triggers/scheduler";
import * as workflowsRoute from "@/app/api/workflows/route";
import * as startRoute from "@/app/api/workflows/[id]/runs/route";
import * as runRoute from "@/app/api/runs/[id]/route";

export const API_BASE = "http://aura.test";

/**
 * The owner every test database gets, the documented way: AURA_OWNER_EMAIL / AURA_OWNER_PASSWORD /
 * AURA_BOOTSTRAP_TOKEN at first start (bootstrapAccounts, as the server runs it). Requests carry the
 * bootstrap token unless a test says otherwise.
 */
export const TEST_OWNER = { email: "owner@aura.test", password: "correct-horse-battery", token: "aura_test_bootstrap_token_0123456789abcdef" };

/**
 * A Request to `path`; `json` sets the body, the content type and (unless given) POST; `token: null`
 * sends no credentials. A raw string `body` is sent as application/json too (the routes refuse
 * text/plain, which fetch would default to), unless `headers` name another content type.
 */
export const req = (path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}) => {
  const { json, token = TEST_OWNER.token, ...rest } = init;
  return new Request(`${API_BASE}${path}`, {
    ...rest,
    method: rest.method ?? (json !== undefined ? "POST" : "GET"),
    headers: {
      ...(json !== undefined || typeof rest.body === "string" ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...rest.headers,
    },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
};

/** The second argument of a dynamic route handler. */
export const ctx = <P extends Record<string, string>>(params: P) => ({ params: Promise.resolve(params) });

export const body = async <T = any>(res: Response): Promise<T> => JSON.parse(await res.text()) as T;

/** POST /api/workflows with a document; returns the new id. */
export async function createWorkflow(document: unknown): Promise<string> {
  const res = await workflowsRoute.POST(req("/api/workflows", { json: { document } }));
  expect(res.status).toBe(201);
  return (await body(res)).id;
}

/** POST /api/workflows/:id/runs; returns the run id. */
export async function startRun(workflowId: string, input: unknown = {}): Promise<string> {
  const res = await startRoute.POST(req(`/api/workflows/${workflowId}/runs`, { json: { input } }), ctx({ id: workflowId }));
  expect(res.status, await res.clone().text()).toBe(202);
  return (await body(res)).runId;
}

export const getRun = async (id: string) => body(await runRoute.GET(req(`/api/runs/${id}`), ctx({ id })));

/** Polls GET /api/runs/:id until the run has one of `statuses`. */
export async function waitForRun(id: string, statuses: string[], timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(id);
    if (statuses.includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${id} is ${run.status}, expected ${statuses.join("|")}: ${JSON.stringify(run.error)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Gives the enclosing suite a fresh database on `provider`, installed as the app's database, and drops
 * it afterwards. With `runs`, the run manager and the trigger scheduler are stopped first. Returns a
 * getter for the database (set once beforeAll has run).
 */
export function useTestDatabase(provider: Parameters<typeof createTestDatabase>[0], options: { runs?: boolean } = {}): () => TestDatabase {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    setDatabase(t.db);
    await bootstrapTestOwner(t.db);
  });
  afterAll(async () => {
    if (options.runs) {
      stopScheduler();
      await shutdownRunManager();
    }
    setDatabase(null);
    await t?.drop();
  });
  return () => t!;
}

/** Creates the test owner and its bootstrap token exactly as a first server start with the AURA_* variables does. */
export async function bootstrapTestOwner(db: Database): Promise<void> {
  const saved = { e: process.env.AURA_OWNER_EMAIL, p: process.env.AURA_OWNER_PASSWORD, t: process.env.AURA_BOOTSTRAP_TOKEN };
  process.env.AURA_OWNER_EMAIL = TEST_OWNER.email;
  process.env.AURA_OWNER_PASSWORD = TEST_OWNER.password;
  process.env.AURA_BOOTSTRAP_TOKEN = TEST_OWNER.token;
  try {
    await bootstrapAccounts(db, () => {});
  } finally {
    for (const [k, v] of [
      ["AURA_OWNER_EMAIL", saved.e],
      ["AURA_OWNER_PASSWORD", saved.p],
      ["AURA_BOOTSTRAP_TOKEN", saved.t],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
