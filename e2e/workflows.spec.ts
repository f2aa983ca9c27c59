import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * The workflows page against the real production server: list actions, templates, and import
 * (valid, broken, oversized). Names carry a per-test suffix because every spec shares one database.
 */

const unique = (base: string) => `${base} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function createViaApi(request: APIRequestContext, body: { name?: string; document?: unknown }): Promise<{ id: string; name: string }> {
  const res = await request.post("/api/workflows", { data: body });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

async function listNames(request: APIRequestContext): Promise<string[]> {
  const res = await request.get("/api/workflows");
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { workflows: { name: string }[] }).workflows.map((w) => w.name);
}

const row = (page: Page, name: string) => page.getByTestId("workflow-row").filter({ has: page.getByTestId("workflow-name").getByText(name, { exact: true }) });

async function openHome(page: Page) {
  await page.goto("/");
  await expect(page.getByTestId("workflows-page")).toBeVisible();
  await expect(page.getByTestId("workflow-table").or(page.getByTestId("workflows-empty"))).toBeVisible();
}

const withoutId = (doc: Record<string, unknown>) => {
  const { id: _id, ...rest } = doc;
  return rest;
};

test.describe("workflows page", () => {
  test("create a workflow from the name dialog and land in the editor", async ({ page, request }) => {
    const name = unique("Created in e2e");
    await openHome(page);
    await page.getByTestId("new-workflow-button").click();
    const dialog = page.getByRole("dialog", { name: "New workflow" });
    await expect(dialog).toBeVisible();
    await dialog.getByTestId("workflow-name-input").fill(name);
    await dialog.getByTestId("name-dialog-submit").click();
    await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
    const id = decodeURIComponent(page.url().split("/workflows/")[1]);
    const detail = await (await request.get(`/api/workflows/${encodeURIComponent(id)}`)).json();
    expect(detail.name).toBe(name);

    await openHome(page);
    const r = row(page, name);
    await expect(r).toBeVisible();
    await expect(r.getByTestId("workflow-node-count")).toHaveText("2");
    await expect(r.getByTestId("workflow-version")).toHaveText("v1");
    await expect(r.getByTestId("workflow-updated")).toHaveText(/^now$|minute/);
    await expect(r.getByTestId("workflow-last-run")).toHaveText("—");
  });

  test("rename a workflow", async ({ page, request }) => {
    const name = unique("Rename me");
    const renamed = unique("Renamed");
    await createViaApi(request, { name });
    await openHome(page);
    await row(page, name).getByTestId("rename-workflow").click();
    const dialog = page.getByRole("dialog", { name: "Rename workflow" });
    await expect(dialog.getByTestId("workflow-name-input")).toHaveValue(name);
    await dialog.getByTestId("workflow-name-input").fill(renamed);
    await dialog.getByTestId("workflow-name-input").press("Enter");
    await expect(dialog).toBeHidden();
    await expect(row(page, renamed)).toBeVisible();
    await expect(row(page, name)).toHaveCount(0);
    await page.reload();
    await expect(row(page, renamed)).toBeVisible();
    expect(await listNames(request)).toContain(renamed);
  });

  test("duplicate a workflow: same document under '<name> (copy)'", async ({ page, request }) => {
    const template = JSON.parse(readFileSync(join(process.cwd(), "templates/customer-support.aura.json"), "utf8"));
    const name = unique("Support flow");
    const original = await createViaApi(request, { name, document: { ...template, name } });
    await openHome(page);
    await row(page, name).getByTestId("duplicate-workflow").click();
    const copyRow = row(page, `${name} (copy)`);
    await expect(copyRow).toBeVisible();
    await expect(copyRow.getByTestId("workflow-node-count")).toHaveText(String(template.nodes.length));

    const copyId = await copyRow.getAttribute("data-workflow-id");
    expect(copyId).toBeTruthy();
    expect(copyId).not.toBe(original.id);
    const [a, b] = await Promise.all([original.id, copyId!].map(async (id) => (await request.get(`/api/workflows/${encodeURIComponent(id)}`)).json()));
    expect(b.document.nodes).toEqual(a.document.nodes);
    expect(b.document.edges).toEqual(a.document.edges);
    expect(b.document.notes).toEqual(a.document.notes);
  });

  test("delete a workflow after confirming (cancel keeps it)", async ({ page, request }) => {
    const name = unique("Delete me");
    await createViaApi(request, { name });
    await openHome(page);

    await row(page, name).getByTestId("delete-workflow").click();
    let dialog = page.getByRole("dialog", { name: "Delete workflow?" });
    await expect(dialog).toContainText(name);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(row(page, name)).toBeVisible();

    await row(page, name).getByTestId("delete-workflow").click();
    dialog = page.getByRole("dialog", { name: "Delete workflow?" });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(row(page, name)).toHaveCount(0);
    expect(await listNames(request)).not.toContain(name);
  });

  test("names are rendered as text, never as HTML", async ({ page, request }) => {
    const name = unique(`<img src=x onerror="window.__pwned=1"> <b>bold</b>`);
    await createViaApi(request, { name });
    await openHome(page);
    const r = row(page, name);
    await expect(r).toBeVisible();
    await expect(r.locator("img, b")).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test("use a template: the gallery creates a workflow from it and opens it", async ({ page, request }) => {
    const template = JSON.parse(readFileSync(join(process.cwd(), "templates/document-analysis.aura.json"), "utf8"));
    await openHome(page);
    const card = page.locator('[data-testid="template-card"][data-slug="document-analysis"]');
    await expect(page.getByTestId("template-card")).toHaveCount(3);
    await expect(card).toContainText(template.name);
    await expect(card.getByTestId("template-node-count")).toHaveText(`${template.nodes.length} nodes`);
    await card.getByTestId("use-template").click();
    await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
    const id = decodeURIComponent(page.url().split("/workflows/")[1]);
    const detail = await (await request.get(`/api/workflows/${encodeURIComponent(id)}`)).json();
    expect(detail.document.nodes).toEqual(template.nodes);
    expect(detail.document.edges).toEqual(template.edges);
    expect(detail.document.notes).toEqual(template.notes);
  });

  test("GET /api/templates serves the three templates", async ({ request }) => {
    const res = await request.get("/api/templates");
    expect(res.ok()).toBe(true);
    const { templates } = await res.json();
    expect(templates.map((t: { slug: string }) => t.slug)).toEqual(["customer-support", "document-analysis", "trading-signals"]);
    for (const t of templates) expect(t.nodeCount).toBe(t.document.nodes.length);
  });
});

test.describe("import", () => {
  test("export → import (file picker) → export gives the same document", async ({ page, request }) => {
    const template = JSON.parse(readFileSync(join(process.cwd(), "templates/trading-signals.aura.json"), "utf8"));
    const name = unique("Round trip");
    const original = await createViaApi(request, { name, document: { ...template, name } });
    const exported = await request.get(`/api/workflows/${encodeURIComponent(original.id)}/export`);
    expect(exported.ok()).toBe(true);
    const exportedText = await exported.text();
    const exportedDoc = JSON.parse(exportedText);

    await openHome(page);
    await page.getByTestId("import-button").click();
    await expect(page.getByTestId("import-dialog")).toBeVisible();
    await page
      .getByTestId("import-file-input")
      .setInputFiles({ name: "round-trip.aura.json", mimeType: "application/json", buffer: Buffer.from(exportedText) });
    // The original still exists, so the import gets a distinct name and the dialog says so.
    await expect(page.getByTestId("import-renamed-name")).toHaveText(`${name} (imported)`);
    await page.getByTestId("import-open").click();
    await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
    const importedId = decodeURIComponent(page.url().split("/workflows/")[1]);
    expect(importedId).not.toBe(original.id); // the original still exists, so its id clashes

    const reexported = await (await request.get(`/api/workflows/${encodeURIComponent(importedId)}/export`)).json();
    expect(withoutId(reexported)).toEqual({ ...withoutId(exportedDoc), name: `${name} (imported)` });
  });

  test("import by pasting JSON", async ({ page, request }) => {
    const name = unique("Pasted");
    const doc = { schemaVersion: 1, name, nodes: [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } }] };
    await openHome(page);
    await page.getByTestId("import-button").click();
    await page.getByTestId("import-paste").fill(JSON.stringify(doc));
    await page.getByTestId("import-submit").click();
    await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
    expect(await listNames(request)).toContain(name);
  });

  test("import by dropping a file onto the dialog", async ({ page, request }) => {
    const name = unique("Dropped");
    const text = JSON.stringify({ schemaVersion: 1, name, nodes: [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } }] });
    await openHome(page);
    await page.getByTestId("import-button").click();
    const dataTransfer = await page.evaluateHandle((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], "dropped.aura.json", { type: "application/json" }));
      return dt;
    }, text);
    await page.getByTestId("import-dropzone").dispatchEvent("drop", { dataTransfer });
    await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
    expect(await listNames(request)).toContain(name);
  });

  test("dropping a file anywhere on the page opens the import and imports it", async ({ page, request }) => {
    const name = unique("Dropped on page");
    const text = JSON.stringify({ schemaVersion: 1, name, nodes: [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } }] });
    await openHome(page);
    const dataTransfer = await page.evaluateHandle((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], "page-drop.aura.json", { type: "application/json" }));
      return dt;
    }, text);
    await page.getByTestId("workflows-page").dispatchEvent("dragenter", { dataTransfer });
    await expect(page.getByTestId("page-drop-overlay")).toBeVisible();
    await page.getByTestId("workflows-page").dispatchEvent("drop", { dataTransfer });
    await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
    expect(await listNames(request)).toContain(name);
  });

  test("a broken file shows its errors with JSON paths, and nothing is saved", async ({ page, request }) => {
    const name = unique("Broken");
    const broken = {
      schemaVersion: 1,
      name,
      nodes: [
        { id: "start", kind: "start", label: "Start", position: { x: "left", y: 0 } },
        { id: "bad id!", kind: "output", label: "<script>window.__pwned=1</script>", position: { x: 0, y: 100 } },
      ],
    };
    const before = (await listNames(request)).length;
    await openHome(page);
    await page.getByTestId("import-button").click();
    await page
      .getByTestId("import-file-input")
      .setInputFiles({ name: "broken.aura.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(broken)) });

    const error = page.getByTestId("import-error");
    await expect(error).toBeVisible();
    await expect(page.getByTestId("import-error-title")).toContainText("nothing was imported");
    const paths = page.getByTestId("import-issue-path");
    await expect(paths.first()).toBeVisible();
    const shown = await paths.allTextContents();
    expect(shown).toEqual(expect.arrayContaining(["$.nodes[0].position.x", "$.nodes[1].id"]));
    await expect(error.locator("script")).toHaveCount(0);
    await expect(page.getByTestId("import-dialog")).toBeVisible(); // still open, so the user can fix and retry
    expect(page.url()).not.toContain("/workflows/");
    expect(await listNames(request)).not.toContain(name);
    expect((await listNames(request)).length).toBe(before);
  });

  test("text that is not JSON is refused in the browser", async ({ page }) => {
    await openHome(page);
    await page.getByTestId("import-button").click();
    await page.getByTestId("import-paste").fill("{ this is not json");
    await page.getByTestId("import-submit").click();
    await expect(page.getByTestId("import-error-title")).toHaveText("This is not valid JSON");
  });

  test("an oversized import shows the server's 413 message", async ({ page, request }) => {
    const name = unique("Huge");
    const huge = JSON.stringify({
      schemaVersion: 1,
      name,
      nodes: [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } }],
      meta: { padding: "x".repeat(6 * 1024 * 1024) },
    });
    await openHome(page);
    await page.getByTestId("import-button").click();
    const responsePromise = page.waitForResponse((r) => r.url().endsWith("/api/workflows/import"));
    await page.getByTestId("import-file-input").setInputFiles({ name: "huge.aura.json", mimeType: "application/json", buffer: Buffer.from(huge) });
    const response = await responsePromise;
    expect(response.status()).toBe(413);
    const serverMessage = ((await response.json()) as { error: { message: string } }).error.message;
    await expect(page.getByTestId("import-error-title")).toHaveText("Too large to import");
    await expect(page.getByTestId("import-error-message")).toHaveText(serverMessage);
    expect(await listNames(request)).not.toContain(name);
  });
});
