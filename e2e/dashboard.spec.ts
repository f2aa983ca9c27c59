import { expect, test, type APIRequestContext } from "@playwright/test";

// The /runs dashboard against the real server: list and filters, a run appearing and finishing live
// (no reload), and retry of a dead letter from its failed node.

async function createWorkflow(request: APIRequestContext, document: unknown, name?: string): Promise<string> {
  const res = await request.post("/api/workflows", { data: { document, ...(name ? { name } : {}) } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}
async function startRun(request: APIRequestContext, workflowId: string, input: unknown): Promise<string> {
  const res = await request.post(`/api/workflows/${workflowId}/runs`, { data: { input } });
  expect(res.status(), await res.text()).toBe(202);
  return (await res.json()).runId;
}
async function waitForStatus(request: APIRequestContext, runId: string, statuses: string[]) {
  await expect
    .poll(async () => (await (await request.get(`/api/runs/${runId}`)).json()).status, { timeout: 20_000 })
    .toMatch(new RegExp(`^(${statuses.join("|")})$`));
}

/** start → delay → output: slow enough to be seen running. */
const slowDoc = (name: string, ms: number) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    { id: "wait", kind: "delay", label: "Wait", position: { x: 0, y: 120 }, config: { ms } },
    { id: "out", kind: "output", label: "Out", position: { x: 0, y: 240 }, config: { value: "done" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "wait" },
    { id: "e2", source: "wait", target: "out" },
  ],
  settings: {},
});

/** A JavaScript transform that throws while state.fail is true: a run that fails at "enrich". */
const flakyDoc = {
  schemaVersion: 1,
  name: "Dashboard flaky",
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [{ name: "fail", type: "boolean", required: true }] } },
    {
      id: "enrich",
      kind: "js-transform",
      label: "Enrich",
      position: { x: 0, y: 120 },
      config: { code: "if (state.fail) throw new Error('vendor lookup failed'); return 1;", timeoutMs: 1000, memoryLimitMb: 32, outputKey: "x" },
    },
    { id: "out", kind: "output", label: "Out", position: { x: 0, y: 240 }, config: { value: "{{x}}" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "enrich" },
    { id: "e2", source: "enrich", target: "out" },
  ],
  settings: {},
};

test.describe.configure({ mode: "serial" });

test("lists runs, filters by status, workflow and search", async ({ page, request }) => {
  const fast = await createWorkflow(request, slowDoc("Dashboard fast", 1));
  const flaky = await createWorkflow(request, flakyDoc);
  const ok = [await startRun(request, fast, {}), await startRun(request, fast, {})];
  const bad = await startRun(request, flaky, { fail: true });
  for (const id of ok) await waitForStatus(request, id, ["succeeded"]);
  await waitForStatus(request, bad, ["failed"]);

  await page.goto("/runs");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  for (const id of [...ok, bad]) await expect(page.locator(`[data-testid=run-row][data-run-id="${id}"]`)).toBeVisible();
  await expect(page.locator(`[data-run-id="${bad}"] [data-testid=run-workflow]`)).toHaveText("Dashboard flaky");
  await expect(page.getByTestId("kpi-failed-value")).not.toHaveText("0");

  await page.getByTestId("status-filter-failed").click();
  await expect(page.locator(`[data-run-id="${bad}"]`)).toBeVisible();
  await expect(page.locator(`[data-run-id="${ok[0]}"]`)).toHaveCount(0);
  await expect(page.locator("[data-testid=run-row]:not([data-status=failed])")).toHaveCount(0);

  await page.getByTestId("clear-filters").click();
  await page.getByTestId("workflow-filter").selectOption(fast);
  await expect(page.locator("[data-testid=run-row]")).toHaveCount(2);

  await page.getByTestId("clear-filters").click();
  await page.getByTestId("runs-search").fill(bad);
  await expect(page.locator("[data-testid=run-row]")).toHaveCount(1);
  await expect(page.locator(`[data-run-id="${bad}"]`)).toBeVisible();
  await page.getByTestId("runs-search").fill("zzz-no-such-workflow");
  await expect(page.getByTestId("runs-empty")).toBeVisible();
});

test("a run started through the API appears and turns succeeded without reload", async ({ page, request }) => {
  const wf = await createWorkflow(request, slowDoc("Dashboard live", 4000));
  await page.goto("/runs");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  const runId = await startRun(request, wf, {});
  const row = page.locator(`[data-testid=run-row][data-run-id="${runId}"]`);
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row).toHaveAttribute("data-status", /queued|running/);
  await expect(row).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(row.getByTestId("run-status")).toHaveText("Succeeded");
  // Same document: nothing reloaded the page.
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});

test("retries a dead letter from its failed node", async ({ page, request }) => {
  const wf = await createWorkflow(request, { ...flakyDoc, name: "Dashboard dead letter" });
  const runId = await startRun(request, wf, { fail: true });
  await waitForStatus(request, runId, ["failed"]);

  await page.goto("/runs?tab=dead-letters");
  const row = page.locator(`[data-testid=dead-letters-table] [data-run-id="${runId}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("dead-letter-error")).toContainText("vendor lookup failed");
  await expect(row.getByTestId("retry-dead-letter")).toContainText("enrich");
  await row.getByTestId("retry-dead-letter").click();
  const result = page.getByTestId("bulk-result").first();
  await expect(result).toHaveAttribute("data-ok", "true");
  await expect(result).toContainText("retried as run_");
  const retryId = (await result.locator("a").nth(1).textContent())!.trim();
  await page.getByRole("button", { name: "Done" }).click();
  // The failed run left the dead letters; the retry (same input: fails again at the same node) runs from "enrich".
  await expect(row).toHaveCount(0);
  await waitForStatus(request, retryId, ["failed"]);
  const retried = await (await request.get(`/api/runs/${retryId}`)).json();
  expect(retried).toMatchObject({ trigger: "retry", parentRunId: runId, attempt: 2, error: { nodeId: "enrich" } });
  await page.getByTestId("tab-runs").click();
  await expect(page.locator(`[data-testid=run-row][data-run-id="${retryId}"]`)).toHaveAttribute("data-status", "failed");
});

test("per-workflow page shows its runs and bottleneck report", async ({ page, request }) => {
  const wf = await createWorkflow(request, slowDoc("Dashboard topology", 300));
  const runId = await startRun(request, wf, {});
  await waitForStatus(request, runId, ["succeeded"]);
  await page.goto(`/workflows/${wf}/runs`);
  await expect(page.getByTestId("workflow-title")).toHaveText("Dashboard topology");
  await expect(page.locator(`[data-testid=run-row][data-run-id="${runId}"]`)).toBeVisible();
  await expect(page.getByTestId("bottleneck").first()).toContainText("Wait");
});
