import { expect, test, type Page } from "@playwright/test";

/**
 * The first five minutes, in real Chromium against the production server (no network, no API key):
 * every template goes gallery → Use template → Run → succeeded with no typing (the Run dialog opens
 * filled in with the Start examples), opens at a zoom where labels read, and remembers the last input;
 * an import with a node kind the app does not know shows its error and saves nothing.
 */

const SLUGS = ["customer-support", "document-analysis", "trading-signals"];

/** The canvas zoom (React Flow's viewport scale). */
async function zoom(page: Page): Promise<number> {
  const transform = await page.locator(".react-flow__viewport").evaluate((el) => (el as HTMLElement).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? NaN);
}

async function useTemplate(page: Page, slug: string): Promise<string> {
  await page.goto("/");
  const card = page.locator(`[data-testid="template-card"][data-slug="${slug}"]`);
  await card.getByTestId("use-template").click();
  await expect(page).toHaveURL(/\/workflows\/[^/?]+$/);
  await expect(page.getByTestId("run-button")).toHaveAttribute("data-blocked", "false");
  return decodeURIComponent(page.url().split("/workflows/")[1]);
}

for (const slug of SLUGS) {
  test(`${slug}: gallery → Use template → Run → succeeded, with no typing, at a readable zoom`, async ({ page }) => {
    await useTemplate(page, slug);

    // Fit view at 1400×900 shows the whole template with labels that read.
    await expect.poll(() => zoom(page), { message: "fit view zoom" }).toBeGreaterThanOrEqual(0.6);
    await page.screenshot({ path: test.info().outputPath(`${slug}-opened.png`) });

    await page.getByTestId("run-button").click();
    await expect(page.getByTestId("run-input-dialog")).toBeVisible();
    await expect(page.getByTestId("run-input-source")).toHaveAttribute("data-source", "examples");
    await page.getByTestId("run-submit").click();

    const bar = page.getByTestId("run-bar");
    await expect(bar).toHaveAttribute("data-run-status", "succeeded", { timeout: 45_000 });
    await expect(page.getByTestId("run-bar-error")).toHaveCount(0);
  });
}

test("the Run dialog remembers the last input for the workflow, and Use examples brings the examples back", async ({ page }) => {
  await useTemplate(page, "document-analysis");
  await page.getByTestId("run-button").click();
  await page.getByTestId("run-field-topic").fill("my own topic");
  await expect(page.getByTestId("run-input-source")).toHaveAttribute("data-source", "edited");
  await page.getByTestId("run-submit").click();
  await expect(page.getByTestId("run-bar")).toHaveAttribute("data-run-status", "succeeded", { timeout: 45_000 });

  await page.reload();
  await expect(page.getByTestId("run-button")).toHaveAttribute("data-blocked", "false");
  await page.getByTestId("run-button").click();
  await expect(page.getByTestId("run-input-source")).toHaveAttribute("data-source", "last");
  await expect(page.getByTestId("run-field-topic")).toHaveValue("my own topic");
  await page.getByTestId("run-use-examples").click();
  await expect(page.getByTestId("run-field-topic")).toHaveValue("Q3 customer feedback");
});

test("importing a document with an unknown node kind shows UNKNOWN_KIND at its path and saves nothing", async ({ page, request }) => {
  const name = `Unknown kind ${Date.now().toString(36)}`;
  const doc = {
    schemaVersion: 1,
    name,
    nodes: [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
      { id: "beam", kind: "teleporter", label: "Beam me up", position: { x: 300, y: 0 }, config: {} },
    ],
    edges: [{ id: "e1", source: "start", target: "beam" }],
  };
  await page.goto("/");
  await page.getByTestId("import-button").click();
  await page.getByTestId("import-paste").fill(JSON.stringify(doc));
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-error-title")).toContainText("nothing was imported");
  const issue = page.getByTestId("import-issue");
  await expect(issue).toHaveCount(1);
  await expect(issue.getByTestId("import-issue-path")).toHaveText("$.nodes[1].kind");
  await expect(issue).toContainText("UNKNOWN_KIND");
  await expect(issue).toContainText('"teleporter"');
  await expect(page.getByTestId("import-dialog")).toBeVisible();
  const { workflows } = (await (await request.get("/api/workflows")).json()) as { workflows: { name: string }[] };
  expect(workflows.map((w) => w.name)).not.toContain(name);
});
