import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * One-click fixes from the topology report, in real Chromium against the production server: the
 * panel's Fix button previews the change on the canvas (changed and added steps marked), Apply makes
 * it an ordinary edit (the report updates, Ctrl+Z undoes it, Save makes a new version), Cancel leaves
 * the document alone.
 */

const unique = (base: string) => `${base} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface SavedWorkflow {
  version: number;
  document: { nodes: { id: string; kind: string; config: Record<string, unknown> }[]; edges: { source: string; target: string }[] };
}

async function create(request: APIRequestContext, document: unknown): Promise<string> {
  const res = await request.post("/api/workflows", { data: { document } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function get(request: APIRequestContext, id: string): Promise<SavedWorkflow> {
  const res = await request.get(`/api/workflows/${encodeURIComponent(id)}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as SavedWorkflow;
}

async function openWithTopology(page: Page, id: string) {
  await page.goto(`/workflows/${encodeURIComponent(id)}`);
  await expect(page.getByTestId("editor")).toBeVisible();
  await expect(page.locator(".react-flow__node").first()).toBeVisible();
  await page.getByTestId("toolbar-topology").click();
  await expect(page.getByTestId("bottlenecks-list")).toBeVisible();
}

const template = (slug: string, name: string) => ({ ...JSON.parse(readFileSync(join(process.cwd(), `templates/${slug}.aura.json`), "utf8")), name });

test.describe("topology fixes", () => {
  test.beforeEach(({ page }) => page.on("dialog", (d) => void d.accept()));

  test("an approval without a time limit: Fix previews, Apply edits, the report updates, Ctrl+Z undoes, Save makes a new version", async ({
    page,
    request,
  }) => {
    const id = await create(request, template("customer-support", unique("Fix approval")));
    const before = await get(request, id);
    await openWithTopology(page, id);

    const fixes = page.getByTestId("fixes-node-supervisor-review");
    const timeLimit = fixes.locator('[data-code="ADD_TIMEOUT"]');
    await expect(timeLimit).toHaveCount(1);
    await expect(timeLimit).toContainText("time limit");

    // Cancel first: nothing changes.
    await timeLimit.click();
    await expect(page.getByTestId("fix-preview")).toBeVisible();
    await page.getByTestId("fix-cancel").click();
    await expect(page.getByTestId("fix-preview")).toHaveCount(0);
    await expect(page.getByTestId("saved-marker")).toBeVisible();

    // Preview: the approval is marked changed, nothing added; the sentence says what happens.
    await timeLimit.click();
    const preview = page.getByTestId("fix-preview");
    await expect(preview).toBeVisible();
    await expect(page.getByTestId("fix-preview-title")).toContainText("time limit of 24 h");
    await expect(page.getByTestId("fix-preview-details")).toContainText("reject automatically after 24 h");
    await expect(page.getByTestId("compare-node-supervisor-review")).toHaveAttribute("data-status", "changed");
    await expect(page.getByTestId("compare-node-senior-agent")).toHaveAttribute("data-status", "same");
    await expect(page.getByTestId("fix-count-changed")).toHaveAttribute("data-count", "1");
    await page.screenshot({ path: test.info().outputPath("fix-preview.png") });

    await page.getByTestId("fix-apply").click();
    await expect(preview).toHaveCount(0);
    await expect(page.getByTestId("saved-marker")).toHaveCount(0); // unsaved now
    // The report re-ran on the fixed document: no time-limit fix for the approval any more.
    await expect(timeLimit).toHaveCount(0);
    await page.getByTestId("node-supervisor-review").click();
    await expect(page.getByTestId("field-timeoutMs")).toHaveValue("86400000");

    // Ctrl+Z restores the document (and the suggestion); Ctrl+Shift+Z brings the fix back.
    await page.getByTestId("bottlenecks-panel").locator("header").click();
    await page.keyboard.press("Control+z");
    await expect(timeLimit).toHaveCount(1);
    await expect(page.getByTestId("saved-marker")).toBeVisible();
    await page.keyboard.press("Control+Shift+z");
    await expect(timeLimit).toHaveCount(0);

    await page.getByTestId("toolbar-save").click();
    await expect(page.getByTestId("saved-marker")).toBeVisible();
    await expect(page.getByTestId("version-badge")).toHaveText(`v${before.version + 1}`);
    const saved = await get(request, id);
    expect(saved.version).toBe(before.version + 1);
    expect(saved.document.nodes.find((n) => n.id === "supervisor-review")!.config.timeoutMs).toBe(86_400_000);
  });

  test("a parallelisable chain: the preview shows the new Join, Apply rewires it, Ctrl+Z puts the chain back", async ({ page, request }) => {
    const doc = {
      schemaVersion: 2,
      name: unique("Fix chain"),
      nodes: [
        { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [{ name: "topic", type: "string", required: true }] } },
        { id: "facts", kind: "template", label: "Facts", position: { x: 300, y: 0 }, config: { template: "Facts about {{topic}}", outputKey: "facts" } },
        { id: "risks", kind: "template", label: "Risks", position: { x: 600, y: 0 }, config: { template: "Risks of {{topic}}", outputKey: "risks" } },
        { id: "ideas", kind: "template", label: "Ideas", position: { x: 900, y: 0 }, config: { template: "Ideas for {{topic}}", outputKey: "ideas" } },
        { id: "out", kind: "output", label: "Output", position: { x: 1200, y: 0 }, config: { value: "{{facts}} / {{risks}} / {{ideas}}" } },
      ],
      edges: [
        { id: "e1", source: "start", target: "facts" },
        { id: "e2", source: "facts", target: "risks" },
        { id: "e3", source: "risks", target: "ideas" },
        { id: "e4", source: "ideas", target: "out" },
      ],
    };
    const id = await create(request, doc);
    await openWithTopology(page, id);

    const parallel = page.locator('[data-testid="bottlenecks-list"] [data-code="PARALLELISE"]').first();
    await expect(parallel).toBeVisible();
    await expect(page.getByTestId("stat-depth")).toContainText("4");
    await parallel.click();

    await expect(page.getByTestId("fix-preview")).toBeVisible();
    await expect(page.getByTestId("fix-preview-title")).toContainText('Run "Facts", "Risks", "Ideas" in parallel');
    await expect(page.getByTestId("compare-node-join-facts")).toHaveAttribute("data-status", "added");
    await expect(page.getByTestId("fix-count-removed")).toHaveAttribute("data-count", "2");
    await expect(page.locator(".aura-compare-edge-added")).toHaveCount(5);
    await page.screenshot({ path: test.info().outputPath("fix-preview-parallel.png") });

    await page.getByTestId("fix-apply").click();
    await expect(page.getByTestId("fix-preview")).toHaveCount(0);
    await expect(page.getByTestId("node-join-facts")).toBeVisible();
    // Depth 4 → 3 (start → step → Join → Output) and nothing left to parallelise.
    await expect(page.getByTestId("stat-depth")).toContainText("3");
    await expect(page.locator('[data-testid="bottlenecks-list"] [data-code="PARALLELISE"]')).toHaveCount(0);

    await page.getByTestId("bottlenecks-panel").locator("header").click();
    await page.keyboard.press("Control+z");
    await expect(page.getByTestId("node-join-facts")).toHaveCount(0);
    await expect(page.getByTestId("stat-depth")).toContainText("4");
    await expect(parallel).toBeVisible();
  });

  test("an adaptive Parallel map: the run records its concurrency and the run view charts it", async ({ page, request }) => {
    const doc = {
      schemaVersion: 2,
      name: unique("Adaptive map"),
      nodes: [
        { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [{ name: "items", type: "json", required: true }] } },
        {
          id: "map",
          kind: "parallel-map",
          label: "Each item",
          position: { x: 300, y: 0 },
          config: { itemsFrom: "items", itemName: "item", concurrencyMode: "adaptive", minConcurrency: 1, maxConcurrency: 6 },
        },
        { id: "wait", kind: "delay", label: "Work", position: { x: 600, y: 0 }, config: { ms: 100 } },
        { id: "join", kind: "join", label: "Join", position: { x: 900, y: 0 }, config: { outputKey: "" } },
        { id: "out", kind: "output", label: "Output", position: { x: 1200, y: 0 }, config: { value: "{{json join}}" } },
      ],
      edges: [
        { id: "e1", source: "start", target: "map" },
        { id: "e2", source: "map", target: "wait" },
        { id: "e3", source: "wait", target: "join" },
        { id: "e4", source: "join", target: "out" },
      ],
    };
    const id = await create(request, doc);
    const res = await request.post(`/api/workflows/${id}/runs?wait=30`, { data: { input: { items: Array.from({ length: 60 }, (_, i) => i) } } });
    expect(res.status(), await res.text()).toBe(200);
    const run = (await res.json()) as { runId: string; status: string };
    expect(run.status).toBe("succeeded");

    // Persisted: node.concurrency events starting at Min and climbing (100 ms items, none failing), never past Max.
    const eventsRes = await request.get(`/api/runs/${run.runId}/events`);
    expect(eventsRes.status()).toBe(200);
    const body = (await eventsRes.json()) as { events: { type: string; concurrency?: number; reason?: string }[] };
    const steps = body.events.filter((e) => e.type === "node.concurrency");
    expect(steps[0]).toMatchObject({ reason: "start", concurrency: 1 });
    const levels = steps.map((e) => e.concurrency!);
    expect(levels.every((c) => c >= 1 && c <= 6)).toBe(true);
    const peak = Math.max(...levels);
    expect(peak).toBeGreaterThanOrEqual(4);

    await page.goto(`/runs/${run.runId}`);
    await page.getByTestId("node-map").click();
    const chart = page.getByTestId("node-details-concurrency");
    await expect(chart).toBeVisible();
    await expect(chart).toHaveAttribute("data-peak", String(peak));
    await expect(chart).toHaveAttribute("data-changes", String(steps.length - 1));
    await expect(chart).toContainText("bounds 1–6");
    await expect(chart.locator(".recharts-line")).toHaveCount(1);
    await chart.screenshot({ path: test.info().outputPath("adaptive-concurrency.png") });
  });
});
