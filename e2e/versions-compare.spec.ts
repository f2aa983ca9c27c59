import { expect, test, type APIRequestContext } from "@playwright/test";

/**
 * Compare versions and preview a version (issue 10 §4, issue 17 "Versions"), in real Chromium
 * against the production server: versions made through the API, compared on the canvas (added green,
 * removed ghosts, changed amber), a node focused from the change list, nothing editable while
 * comparing, a version previewed by clicking its row, and restored from the preview.
 */

const unique = (base: string) => `${base} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const v1 = (name: string) => ({
  schemaVersion: 1,
  name,
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "Start",
      position: { x: 0, y: 0 },
      config: { fields: [{ name: "input", type: "string", required: true, description: "" }] },
    },
    { id: "writer", kind: "agent", label: "Writer", position: { x: 300, y: 0 }, config: { prompt: "Write about {{input}}" } },
    { id: "output", kind: "output", label: "Output", position: { x: 600, y: 0 }, config: { value: "{{input}}" } },
  ],
  edges: [
    { id: "e-start-writer", source: "start", target: "writer" },
    { id: "e-writer-output", source: "writer", target: "output" },
  ],
});

/** v2: the Writer is gone, a Summarize template replaces it, the Output's template changed and it moved. */
const v2 = (name: string) => {
  const d = v1(name);
  return {
    ...d,
    nodes: [
      d.nodes[0],
      { id: "summarize", kind: "template", label: "Summarize", position: { x: 300, y: 160 }, config: { template: "Short: {{input}}", outputKey: "summary" } },
      { ...d.nodes[2], position: { x: 640, y: 60 }, config: { value: "Summary: {{input}}" } },
    ],
    edges: [
      { id: "e-start-summarize", source: "start", target: "summarize" },
      { id: "e-summarize-output", source: "summarize", target: "output" },
    ],
  };
};

async function makeVersions(request: APIRequestContext): Promise<string> {
  const name = unique("Compare");
  const created = await request.post("/api/workflows", { data: { document: v1(name) } });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const saved = await request.put(`/api/workflows/${id}`, { data: { baseVersion: 1, document: v2(name) } });
  expect(saved.status(), await saved.text()).toBe(200);
  return id;
}

test("compare two versions: added, removed and changed nodes; focus from the list; read-only; preview and restore", async ({ page, request }) => {
  const id = await makeVersions(request);

  const api = await request.get(`/api/workflows/${id}/diff?from=1&to=2`);
  expect(api.status()).toBe(200);
  const { diff } = await api.json();
  expect(diff.nodes.added.map((n: { id: string }) => n.id)).toEqual(["summarize"]);
  expect((await request.get(`/api/workflows/${id}/diff?from=1&to=7`)).status()).toBe(404);

  await page.goto(`/workflows/${id}`);
  await expect(page.getByTestId("node-summarize")).toBeVisible();
  await page.getByTestId("toolbar-history").click();
  await expect(page.getByTestId("version-row-1")).toBeVisible();

  // Compare v1 → v2.
  await page.getByTestId("compare-from").selectOption("1");
  await page.getByTestId("compare-to").selectOption("2");
  await page.getByTestId("compare-button").click();
  const view = page.getByTestId("compare-view");
  await expect(view).toBeVisible();
  await expect(page.getByTestId("compare-title")).toHaveText("Compare v1 → v2");
  await expect(view.getByTestId("compare-node-summarize")).toHaveAttribute("data-status", "added");
  await expect(view.getByTestId("compare-node-writer")).toHaveAttribute("data-status", "removed");
  await expect(view.getByTestId("compare-node-output")).toHaveAttribute("data-status", "changed");
  await expect(view.getByTestId("compare-node-start")).toHaveAttribute("data-status", "same");
  await expect(view.getByTestId("compare-origin-output")).toBeVisible(); // where the moved Output stood
  await expect(page.getByTestId("compare-count-added")).toHaveAttribute("data-count", "1");
  await expect(page.getByTestId("compare-count-removed")).toHaveAttribute("data-count", "1");
  await expect(page.getByTestId("compare-count-changed")).toHaveAttribute("data-count", "1");
  // Removed edges are drawn as ghosts next to the added ones.
  await expect(view.locator(".react-flow__edge.aura-compare-edge-removed")).toHaveCount(2);
  await expect(view.locator(".react-flow__edge.aura-compare-edge-added")).toHaveCount(2);

  // The change list names the changed field, and focuses the node on click (the view pans to it).
  const outputEntry = page.getByTestId("change-node-output");
  await expect(outputEntry).toContainText("config.value");
  await expect(outputEntry).toContainText('"Summary: {{input}}"');
  await expect(outputEntry).toContainText("position: (600, 0) → (640, 60)");
  const viewport = view.locator(".react-flow__viewport");
  const before = await viewport.getAttribute("style");
  await outputEntry.click();
  await expect(view.getByTestId("compare-node-output")).toHaveAttribute("data-focused", "true");
  await expect.poll(() => viewport.getAttribute("style")).not.toBe(before);
  const nodeBox = (await view.getByTestId("compare-node-output").boundingBox())!;
  const canvasBox = (await view.getByTestId("compare-canvas").boundingBox())!;
  await expect
    .poll(async () => {
      const b = (await view.getByTestId("compare-node-output").boundingBox())!;
      return Math.abs(b.x + b.width / 2 - (canvasBox.x + canvasBox.width / 2)) < 20;
    })
    .toBe(true);
  expect(nodeBox.width).toBeGreaterThan(0);

  // Read-only: the palette is put away and no shortcut reaches the document while comparing.
  await expect(page.getByTestId("palette-item-agent")).toBeHidden();
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Delete");
  await page.keyboard.press("Control+d");
  await page.getByTestId("compare-close").click();
  await expect(view).toBeHidden();
  await expect(page.locator(".react-flow__node-workflow")).toHaveCount(3);
  await expect(page.getByTestId("dirty-marker")).toBeHidden();

  // Clicking a row previews that version: the solid graph is v1, coloured by what restoring it changes.
  await page.getByTestId("version-row-1").click();
  await expect(page.getByTestId("compare-title")).toHaveText("Preview of v1");
  await expect(view.getByTestId("compare-node-writer")).toHaveAttribute("data-status", "added");
  await expect(view.getByTestId("compare-node-summarize")).toHaveAttribute("data-status", "removed");
  await expect(page.getByTestId("version-row-1")).toHaveAttribute("aria-current", "true");

  // Restore from the preview: a new version 3 with v1's document, editable again.
  await page.getByTestId("compare-restore-1").click();
  await expect(view).toBeHidden();
  await expect(page.getByTestId("version-badge")).toContainText("3");
  await expect(page.getByTestId("node-writer")).toBeVisible();
  await expect(page.getByTestId("node-summarize")).toHaveCount(0);
  const current = await (await request.get(`/api/workflows/${id}`)).json();
  expect(current.version).toBe(3);
  expect(current.document.nodes.map((n: { id: string }) => n.id)).toEqual(["start", "writer", "output"]);
  const after = await (await request.get(`/api/workflows/${id}/diff?from=1&to=3`)).json();
  expect(after.diff.identical).toBe(true);
});
