import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

/**
 * The API reference at /api-docs: reached from the header, rendered from /api/openapi.json with nothing
 * loaded from outside this server, lists the routes, links operations to their schemas, and passes axe.
 */
test("the API reference lists the routes from the OpenAPI document, offline", async ({ page, baseURL }) => {
  const outside: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(baseURL!) && !r.url().startsWith("data:")) outside.push(r.url());
  });

  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "API", exact: true }).click();
  await expect(page).toHaveURL(/\/api-docs$/);
  await expect(page.getByRole("heading", { level: 1, name: /Aura Studio API/ })).toBeVisible();

  // A few routes, each with its method, path and answers.
  const start = page.locator('[data-operation="POST /api/workflows/{id}/runs"]');
  await expect(start).toContainText("Start a run");
  await expect(start).toContainText("wait");
  await expect(start).toContainText("text/event-stream");
  await expect(start.getByRole("link", { name: "StartRunBody" })).toBeVisible();
  await expect(page.locator('[data-operation="GET /api/runs/{id}/stream"]')).toContainText("Last-Event-ID");
  await expect(page.locator('[data-operation="POST /api/hooks/{workflowId}/{secret}"]')).toContainText("webhook secret is in the path");
  await expect(page.locator('[data-operation="DELETE /api/workflows/{id}"]')).toBeVisible();
  await expect(page.getByText("bearerAuth", { exact: true })).toBeVisible();

  // The document behind it: every operation of /api/openapi.json is on the page.
  const doc = (await (await page.request.get("/api/openapi.json")).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(doc.openapi).toBe("3.1.0");
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  const onPage = await page.locator("[data-operation]").evaluateAll((els) => els.map((e) => e.getAttribute("data-operation")));
  expect(onPage.sort()).toEqual(operations.sort()); // the page groups them by tag

  // The side navigation jumps to an operation; a schema link opens the schema's section.
  await page
    .getByRole("navigation", { name: "API operations" })
    .getByRole("link", { name: /\/runs\/\{id\}\/fork/ })
    .click();
  await expect(page).toHaveURL(/#op-forkRun$/);
  await start.getByRole("link", { name: "StartRunBody" }).click();
  const schema = page.locator("#schema-StartRunBody");
  await schema.locator("summary").click();
  await expect(schema).toContainText("usePinnedData");

  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes[0]?.target.join(" ")}`);
  expect(serious).toEqual([]);
  expect(outside).toEqual([]);
});
