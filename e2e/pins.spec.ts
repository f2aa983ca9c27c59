import { expect, test, type APIRequestContext } from "@playwright/test";

/**
 * Pinned outputs in real Chromium against the production server: pin a node's output from a run
 * started in the editor, run again, and see the node marked pinned and not executed (canvas,
 * inspector, run view, event log); pin typed JSON in the inspector (bad JSON refused visibly); pin
 * from the run view of a run started by the API, which by default ran every node.
 */

// Leaving a page with unsaved changes asks first (beforeunload); the tests always mean to leave.
test.beforeEach(({ page }) => page.on("dialog", (d) => void d.accept()));

const unique = (base: string) => `${base} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** start(input) → t (template "live {{input}}") → o: the result shows whether t executed. */
const pinnable = (name: string) => ({
  schemaVersion: 2,
  name,
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "Start",
      position: { x: 0, y: 0 },
      config: { fields: [{ name: "input", type: "string", required: true, description: "" }] },
    },
    { id: "t", kind: "template", label: "Compose", position: { x: 300, y: 0 }, config: { template: "live {{input}}" } },
    { id: "o", kind: "output", label: "Result", position: { x: 600, y: 0 }, config: { value: "{{t}}" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "t" },
    { id: "e2", source: "t", target: "o" },
  ],
});

type Json = Record<string, unknown>;
async function createWorkflow(request: APIRequestContext, document: unknown): Promise<string> {
  const res = await request.post("/api/workflows", { data: { document } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
const getJson = async (request: APIRequestContext, url: string) => (await (await request.get(url)).json()) as Json;
const eventsOf = async (request: APIRequestContext, runId: string) =>
  (await getJson(request, `/api/runs/${runId}/events?after=-1&limit=1000`)).events as Json[];

test("pin a node's output from a run, run again: the node is marked pinned and does not execute", async ({ page, request }) => {
  const id = await createWorkflow(request, pinnable(unique("Pins")));
  await page.goto(`/workflows/${id}`);

  // First run from the editor: nothing pinned, t executes.
  await page.getByTestId("run-button").click();
  await page.getByTestId("run-field-input").fill("first");
  await page.getByTestId("run-submit").click();
  const bar = page.getByTestId("run-bar");
  await expect(bar).toHaveAttribute("data-run-status", "succeeded", { timeout: 30_000 });
  const firstRun = (await bar.getAttribute("data-run-id"))!;
  expect((await getJson(request, `/api/runs/${firstRun}`)).result).toBe("live first");
  await expect(page.getByTestId("node-pinned-t")).toHaveCount(0);

  // Pin t's output from the inspector's "This run" section: an ordinary edit, marked on the card.
  await page.getByTestId("node-t").click();
  await expect(page.getByTestId("inspector-run-output")).toContainText("live first");
  await page.getByTestId("inspector-run-pin").click();
  await expect(page.getByTestId("node-pinned-t")).toBeVisible();
  await expect(page.getByTestId("inspector-pin-badge")).toBeVisible();
  await expect(page.getByTestId("inspector-pin-json")).toHaveValue(/"t": "live first"/);

  // Run again with other input (saving first): t does not execute, its pinned output flows on.
  await page.getByTestId("run-button").click();
  await expect(page.getByTestId("run-dirty-notice")).toBeVisible();
  await page.getByTestId("run-field-input").fill("second");
  await page.getByTestId("run-submit").click();
  await expect(bar).not.toHaveAttribute("data-run-id", firstRun, { timeout: 30_000 });
  await expect(bar).toHaveAttribute("data-run-status", "succeeded", { timeout: 30_000 });
  const secondRun = (await bar.getAttribute("data-run-id"))!;
  expect((await getJson(request, `/api/runs/${secondRun}`)).result).toBe("live first");
  const events = await eventsOf(request, secondRun);
  expect(events[0]).toMatchObject({ type: "run.queued", usePinnedData: true });
  expect(events.filter((e) => e.nodeId === "t" && (e.type === "node.started" || e.type === "node.finished")).map((e) => e.pinned)).toEqual([true, true]);
  expect(events.filter((e) => e.nodeId === "o" && e.type === "node.finished").map((e) => e.pinned ?? false)).toEqual([false]);
  await expect(page.getByTestId("node-pinned-t")).toHaveAttribute("data-pin-source", "run");
  await expect(page.getByTestId("inspector-run-pinned")).toBeVisible();
  const saved = await getJson(request, `/api/workflows/${id}`);
  expect((saved.document as { pins: Json }).pins.t).toMatchObject({ output: { t: "live first" }, fromRunId: firstRun });

  // The run view marks it on the canvas, in the node details and in the event log.
  await page.goto(`/runs/${secondRun}`);
  await expect(page.getByTestId("node-pinned-t")).toBeVisible();
  await expect(page.getByTestId("node-pinned-o")).toHaveCount(0);
  await page.getByTestId("node-t").click();
  await expect(page.getByTestId("node-details-pinned")).toBeVisible();
  await page.getByTestId("tab-events").click();
  await expect(page.getByTestId("event-pinned")).toHaveCount(2);
  await expect(page.getByTestId("event-log")).toContainText("uses pinned outputs");

  // The API without usePinnedData runs every node, pins or not.
  const res = await request.post(`/api/workflows/${id}/runs`, { data: { input: { input: "api" } } });
  const apiRun = ((await res.json()) as { runId: string }).runId;
  await expect.poll(async () => (await getJson(request, `/api/runs/${apiRun}`)).status, { timeout: 30_000 }).toBe("succeeded");
  expect((await getJson(request, `/api/runs/${apiRun}`)).result).toBe("live api");
});

test("typed JSON pins are checked in the inspector; the run view pins a run's output", async ({ page, request }) => {
  const id = await createWorkflow(request, pinnable(unique("Typed pins")));
  await page.goto(`/workflows/${id}`);
  await page.getByTestId("node-t").click();
  const section = page.getByTestId("inspector-pin");
  await section.locator("summary").click();
  await page.getByTestId("inspector-pin-json").fill("{ t: nope }");
  await page.getByTestId("inspector-pin-save").click();
  await expect(page.getByTestId("inspector-pin-error")).toContainText("not valid JSON");
  await expect(page.getByTestId("node-pinned-t")).toHaveCount(0);
  await page.getByTestId("inspector-pin-json").fill('["a list"]');
  await page.getByTestId("inspector-pin-save").click();
  await expect(page.getByTestId("inspector-pin-error")).toContainText("must be a JSON object");
  await page.getByTestId("inspector-pin-json").fill('{ "t": "typed" }');
  await page.getByTestId("inspector-pin-save").click();
  await expect(page.getByTestId("inspector-pin-error")).toHaveCount(0);
  await expect(page.getByTestId("node-pinned-t")).toBeVisible();
  // Undo removes the pin like any edit; redo brings it back; unpin removes it.
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("node-pinned-t")).toHaveCount(0);
  await page.keyboard.press("Control+Shift+z");
  await expect(page.getByTestId("node-pinned-t")).toBeVisible();
  await page.getByTestId("inspector-unpin").click();
  await expect(page.getByTestId("node-pinned-t")).toHaveCount(0);

  // A run started by the API (no pins used): pin t's output from the run view.
  const res = await request.post(`/api/workflows/${id}/runs`, { data: { input: { input: "from api" } } });
  const runId = ((await res.json()) as { runId: string }).runId;
  await expect.poll(async () => (await getJson(request, `/api/runs/${runId}`)).status, { timeout: 30_000 }).toBe("succeeded");
  await page.goto(`/runs/${runId}`);
  await page.getByTestId("node-t").click();
  await expect(page.getByTestId("node-details-pinned")).toHaveCount(0);
  await page.getByTestId("node-details-pin").click();
  await expect(page.getByTestId("node-details-pin-done")).toBeVisible();
  const saved = await getJson(request, `/api/workflows/${id}`);
  expect((saved.document as { pins: Json }).pins.t).toMatchObject({ output: { t: "live from api" }, fromRunId: runId });
});
