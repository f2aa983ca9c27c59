import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";

/**
 * A failing model provider opens its circuit breaker, and the user sees it: a fake OpenAI-compatible
 * server on a loopback port answers 500 to everything; an Agent calls it through an OpenAI credential
 * whose base URL points there. With the breaker set to open after 2 failures (Settings → Providers,
 * saved through the page), two runs fail with MODEL_SERVER_ERROR, the third fails fast with
 * CIRCUIT_OPEN without reaching the server, the runs dashboard shows the breaker open with its
 * history, and the canvas shows the "Circuit open" badge on the Agent.
 */

const unique = (base: string) => `${base} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

let llm: Server;
let llmUrl = "";
let calls = 0;
test.beforeAll(async () => {
  llm = createServer((req, res) => {
    calls++;
    req.resume();
    res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "the fake provider is down", type: "server_error" } }));
  });
  await new Promise<void>((r) => llm.listen(0, "127.0.0.1", r));
  llmUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
});
test.afterAll(() => new Promise<void>((r) => llm.close(() => r())));

async function runToEnd(request: APIRequestContext, workflowId: string): Promise<{ status: string; error?: { code: string; message: string } }> {
  const started = await request.post(`/api/workflows/${workflowId}/runs`, { data: { input: {} } });
  expect(started.status(), await started.text()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  let run: { status: string; error?: { code: string; message: string } } = { status: "queued" };
  await expect
    .poll(
      async () => {
        run = (await (await request.get(`/api/runs/${runId}`)).json()) as typeof run;
        return run.status;
      },
      { timeout: 30_000 },
    )
    .toBe("failed");
  return run;
}

test("a failing provider opens its breaker: CIRCUIT_OPEN fast, the dashboard shows it open, the canvas badges the agent", async ({ page, request }) => {
  // Settings → Providers: open after 2 failures, probe only after 10 minutes (so it stays open for the test).
  await page.goto("/settings/providers");
  // On a busy machine a click can land before the page is hydrated and do nothing: add until the row is there.
  await expect(async () => {
    await page.getByTestId("provider-new-key").fill("model:openai");
    await page.getByTestId("provider-add").click();
    await expect(page.getByTestId("provider-model:openai-failureThreshold")).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await page.getByTestId("provider-model:openai-failureThreshold").fill("2");
  await page.getByTestId("provider-model:openai-cooldownMs").fill("600");
  await page.getByTestId("providers-save").click();
  await expect(page.getByTestId("providers-saved")).toBeVisible();
  const saved = (await (await request.get("/api/providers")).json()) as { providers: { key: string; failureThreshold: number; cooldownMs: number }[] };
  expect(saved.providers).toEqual([expect.objectContaining({ key: "model:openai", failureThreshold: 2, cooldownMs: 600_000 })]);

  const cred = await request.post("/api/credentials", { data: { name: unique("Fake LLM"), type: "openai", secret: "sk-e2e-fake", baseUrl: llmUrl } });
  expect(cred.status()).toBe(201);
  const { id: credentialId } = (await cred.json()) as { id: string };
  const created = await request.post("/api/workflows", {
    data: {
      document: {
        schemaVersion: 2,
        name: unique("Breaker e2e"),
        nodes: [
          { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
          {
            id: "ag",
            kind: "agent",
            label: "Ask",
            position: { x: 320, y: 0 },
            config: { role: "Helper", model: "openai:gpt-e2e", credentialId, prompt: "Hello" },
          },
          { id: "out", kind: "output", label: "Output", position: { x: 640, y: 0 }, config: { value: "" } },
        ],
        edges: [
          { id: "e1", source: "start", target: "ag" },
          { id: "e2", source: "ag", target: "out" },
        ],
      },
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  for (let i = 0; i < 2; i++) expect((await runToEnd(request, id)).error?.code).toBe("MODEL_SERVER_ERROR");
  const reached = calls;
  const third = await runToEnd(request, id);
  expect(third.error?.code).toBe("CIRCUIT_OPEN");
  expect(third.error?.message).toMatch(/model provider "openai" is open since .* it lets one probe call through at /);
  expect(calls).toBe(reached); // failed fast: the provider was not called

  await page.goto("/runs");
  const breaker = page.getByTestId("breaker-model:openai");
  await expect(breaker).toHaveAttribute("data-breaker-state", "open");
  await expect(breaker).toContainText("probes at");
  await expect(breaker.getByRole("list", { name: "History of model:openai" })).toContainText("open");

  await page.goto(`/workflows/${encodeURIComponent(id)}`);
  const badge = page.getByTestId("breaker-badge-ag");
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute("data-breaker-state", "open");
  await expect(badge).toContainText("Circuit open: openai");
  await expect(page.getByTestId("breaker-badge-out")).toHaveCount(0);
});

test("a call over the rate limit waits in line and the node shows it live on the canvas", async ({ page, request }) => {
  const ok = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((r) => ok.listen(0, "127.0.0.1", r));
  try {
    const host = `127.0.0.1:${(ok.address() as AddressInfo).port}`;
    // One request per minute for this host (added to whatever the workspace has).
    const current = (await (await request.get("/api/providers")).json()) as { providers: unknown[]; defaults: Record<string, number> };
    const put = await request.put("/api/providers", {
      data: { providers: [...current.providers, { key: `http:${host}`, ...current.defaults, requestsPerMinute: 1 }] },
    });
    expect(put.status()).toBe(200);
    const created = await request.post("/api/workflows", {
      data: {
        document: {
          schemaVersion: 2,
          name: unique("Rate limit e2e"),
          nodes: [
            { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
            {
              id: "call",
              kind: "http-request",
              label: "Call",
              position: { x: 320, y: 0 },
              config: { url: `http://${host}/x`, allowedHosts: ["127.0.0.1"] },
              policy: { timeoutMs: 60_000 },
            },
            { id: "out", kind: "output", label: "Output", position: { x: 640, y: 0 }, config: { value: "" } },
          ],
          edges: [
            { id: "e1", source: "start", target: "call" },
            { id: "e2", source: "call", target: "out" },
          ],
        },
      },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // The first run uses the minute's one request.
    const first = await request.post(`/api/workflows/${id}/runs?wait=20`, { data: { input: {} } });
    expect(((await first.json()) as { status: string }).status).toBe("succeeded");

    // The second, started on the canvas, waits in line: the node says so while it waits.
    await page.goto(`/workflows/${encodeURIComponent(id)}`);
    await page.getByTestId("run-button").click();
    await page.getByTestId("run-submit").click();
    const badge = page.getByTestId("throttled-badge-call");
    await expect(badge).toBeVisible({ timeout: 15_000 });
    await expect(badge).toContainText("Waiting for rate limit");
    const runId = (await page.getByTestId("run-bar").getAttribute("data-run-id"))!;
    const cancel = await request.post(`/api/runs/${runId}/cancel`, { data: {} });
    expect(cancel.status()).toBeLessThan(300);
    await expect(page.getByTestId("run-bar")).toHaveAttribute("data-run-status", "cancelled", { timeout: 15_000 });
    await expect(badge).toHaveCount(0);
  } finally {
    await new Promise<void>((r) => ok.close(() => r()));
  }
});

test("Save with a key still in the add field adds it, or refuses it visibly and saves nothing", async ({ page, request }) => {
  const before = (await (await request.get("/api/providers")).json()) as { providers: { key: string }[] };
  await page.goto("/settings/providers");
  await expect(page.getByTestId("providers-table")).toBeVisible();
  // A refused key: the reason shows under the field, nothing is saved and nothing says "Saved".
  await page.getByTestId("provider-new-key").fill("not a provider");
  await page.getByTestId("providers-save").click();
  await expect(page.getByTestId("provider-new-key")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("providers-saved")).toHaveCount(0);
  expect(((await (await request.get("/api/providers")).json()) as { providers: unknown[] }).providers).toEqual(before.providers);
  // A valid key typed but not added: Save adds it and saves it.
  const key = `http:save-${Date.now().toString(36)}.example.com`;
  await page.getByTestId("provider-new-key").fill(key);
  await page.getByTestId("providers-save").click();
  await expect(page.getByTestId("providers-saved")).toBeVisible();
  await expect(page.getByTestId(`provider-row-${key}`)).toBeVisible();
  const after = (await (await request.get("/api/providers")).json()) as { providers: { key: string }[] };
  expect(after.providers.map((p) => p.key).sort()).toEqual([...before.providers.map((p) => p.key), key].sort());
  // Leave the workspace as it was for the other tests.
  expect((await request.put("/api/providers", { data: { providers: before.providers } })).status()).toBe(200);
});
