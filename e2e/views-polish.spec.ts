import { expect, test, type APIRequestContext } from "@playwright/test";

/**
 * Run view, result banner, canvas replay and dashboard charts, seen in the browser: the timeline
 * covers the whole run with a visible bar for the instant Output step, time travel has one step
 * numbering, a fast run replays its path on the canvas, the run bar stays on one line, and the
 * overview charts of a 7-day window tick by day with one remembered window on every dashboard page.
 */

/** start → agent (the offline Simulated model, so it reports tokens) → output: a fast run. */
const agentDoc = (name: string) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    {
      id: "agent",
      kind: "agent",
      label: "Writer",
      position: { x: 260, y: 0 },
      config: { role: "Writer", systemPrompt: "Be brief.", prompt: "Say hello.", model: "", temperature: 0, maxSteps: 2, outputKey: "answer" },
    },
    { id: "out", kind: "output", label: "Result", position: { x: 520, y: 0 }, config: { value: "{{answer}}" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "agent" },
    { id: "e2", source: "agent", target: "out" },
  ],
  settings: {},
});

async function fastRun(request: APIRequestContext): Promise<{ workflowId: string; runId: string }> {
  const created = await request.post("/api/workflows", { data: { document: agentDoc(`Views polish ${Date.now().toString(36)}`) } });
  expect(created.status(), await created.text()).toBe(201);
  const workflowId = (await created.json()).id;
  const started = await request.post(`/api/workflows/${workflowId}/runs`, { data: { input: {} } });
  expect(started.status(), await started.text()).toBe(202);
  const { runId } = await started.json();
  await expect.poll(async () => (await (await request.get(`/api/runs/${runId}`)).json()).status, { timeout: 20_000 }).toBe("succeeded");
  return { workflowId, runId };
}

test("run view: the timeline spans the run, the Output step has a bar, labels fit, one step numbering", async ({ page, request }) => {
  const { runId } = await fastRun(request);
  await page.goto(`/runs/${runId}`);
  const timeline = page.getByTestId("run-timeline");
  await expect(timeline).toHaveAttribute("data-bars", "3");

  const track = await page.getByTestId("timeline-row-out").locator("div.relative").boundingBox();
  const bar = await page.getByTestId("timeline-row-out").getByTestId("timeline-bar").boundingBox();
  expect(bar!.width).toBeGreaterThanOrEqual(3);
  expect(bar!.x + bar!.width).toBeLessThanOrEqual(track!.x + track!.width + 0.5);

  // The last tick is the run's duration (as in the header) and sits on one line inside the axis.
  const axis = await page.getByTestId("timeline-axis").boundingBox();
  const last = page.getByTestId("timeline-tick").last();
  const lastBox = await last.boundingBox();
  const firstBox = await page.getByTestId("timeline-tick").first().boundingBox();
  expect(lastBox!.height).toBeLessThanOrEqual(firstBox!.height + 0.5);
  expect(lastBox!.x + lastBox!.width).toBeLessThanOrEqual(axis!.x + axis!.width + 0.5);
  const header = (await page.getByTestId("run-duration").textContent()) ?? "";
  const tick = (await last.textContent()) ?? "";
  // Both in ms for a fast run; the axis is measured from the run's events, the header from its row.
  const headerMs = parseFloat(header);
  expect(Math.abs(parseFloat(tick) - headerMs)).toBeLessThanOrEqual(Math.max(25, headerMs * 0.1));

  await page.getByRole("tab", { name: /time travel/i }).click();
  const position = page.getByTestId("tt-position");
  await expect(position).toHaveText(/^Step \d+ \/ \d+$/);
  await expect(page.getByTestId("tt-step")).toHaveCount(0);
});

test("a fast run replays its path on the canvas, and the run bar keeps its facts on one line", async ({ page, request }) => {
  const { workflowId, runId } = await fastRun(request);
  // Record every replay delay the canvas shows: the replay may be over before a poll would see it.
  await page.addInitScript(() => {
    const seen: Record<string, number> = ((window as unknown as { __replay: Record<string, number> }).__replay = {});
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as Element;
        const delay = el.getAttribute?.("data-replay-delay");
        if (delay != null) seen[el.getAttribute("data-testid") ?? ""] = Number(delay);
        for (const added of r.addedNodes)
          if (added instanceof Element)
            for (const x of added.querySelectorAll("[data-replay-delay]"))
              seen[x.getAttribute("data-testid") ?? ""] = Number(x.getAttribute("data-replay-delay"));
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-replay-delay"] });
  });
  await page.goto(`/workflows/${workflowId}?run=${runId}`);
  const rings = ["start", "agent", "out"].map((id) => page.getByTestId(`run-status-${id}`));
  for (const r of rings) await expect(r).toHaveAttribute("data-run-status", "succeeded");
  // The replay delays each node in the order it ran…
  const seen = await page.evaluate(() => (window as unknown as { __replay: Record<string, number> }).__replay);
  const delays = ["start", "agent", "out"].map((id) => seen[`run-status-${id}`]);
  expect(delays[0]).toBe(0);
  expect(delays[1]).toBeGreaterThan(delays[0]);
  expect(delays[2]).toBeGreaterThan(delays[1]);
  expect(delays[2]).toBeLessThanOrEqual(1500);
  // …and is over after about a second and a half, leaving the real states.
  for (const r of rings) await expect(r).not.toHaveAttribute("data-replay-delay", /.*/, { timeout: 5_000 });
  for (const r of rings) await expect(r).toHaveAttribute("data-run-status", "succeeded");

  const usage = page.getByTestId("run-bar-usage");
  await expect(usage).toContainText("tok");
  const lineHeight = await usage.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  expect((await usage.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
});

test("overview charts tick by day over 7 days, label all three alike, and the window is shared and remembered", async ({ page, request }) => {
  const { workflowId } = await fastRun(request);
  await page.goto("/runs");
  await page.getByRole("group", { name: "Overview window" }).getByRole("button", { name: "7d" }).click();
  const ticks = (id: string) => page.getByTestId(id).locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value").allTextContents();
  await expect.poll(async () => (await ticks("chart-throughput")).length).toBeGreaterThanOrEqual(6);
  const throughput = await ticks("chart-throughput");
  for (const t of throughput) expect(t).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/);
  expect(await ticks("chart-latency")).toEqual(throughput);
  expect(await ticks("chart-failure-rate")).toEqual(throughput);

  // The per-workflow page opens with the window chosen on /runs, also after a reload.
  await page.goto(`/workflows/${workflowId}/runs`);
  const window = page.getByRole("group", { name: "Overview window" });
  await expect(window.getByRole("button", { name: "7d" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("kpi-succeeded")).toContainText("1 run started in window");
  await window.getByRole("button", { name: "1h" }).click();
  await page.goto("/runs");
  await expect(page.getByRole("group", { name: "Overview window" }).getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");
});
