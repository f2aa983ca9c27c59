import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";

/**
 * Editor polish as a new user meets it (issue 17): menus close on Escape and outside clicks; a new
 * workflow's first run returns the agent's answer (and says which node it came from); node cards
 * name the node by its role; a duplicate import gets a distinct name and errors read in plain words;
 * a dropped node never lands on another; the minimap collapses and lets presses through to nodes.
 */

const unique = (base: string) => `${base} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function createByName(request: APIRequestContext, name: string): Promise<string> {
  const res = await request.post("/api/workflows", { data: { name } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function openEditor(page: Page, id: string) {
  await page.goto(`/workflows/${encodeURIComponent(id)}`);
  await expect(page.getByTestId("editor")).toBeVisible();
  await expect(page.locator(".react-flow__node").first()).toBeVisible();
}

/** Drops a palette kind on the canvas at a point given in page coordinates. */
async function dropKindAt(page: Page, kind: string, x: number, y: number) {
  const canvas = page.getByTestId("canvas");
  const box = (await canvas.boundingBox())!;
  await page.getByTestId(`palette-item-${kind}`).dragTo(canvas, { targetPosition: { x: x - box.x, y: y - box.y } });
}

async function connect(page: Page, from: string, to: string) {
  const a = (await page.getByTestId(from).boundingBox())!;
  const b = (await page.getByTestId(to).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function box(l: Locator) {
  const b = await l.boundingBox();
  expect(b).not.toBeNull();
  return b!;
}

/** The element's box once two reads 100 ms apart agree (the canvas stopped moving it). */
async function settledBox(l: Locator) {
  let last = await box(l);
  await expect
    .poll(
      async () => {
        const now = await box(l);
        const same = now.x === last.x && now.y === last.y;
        last = now;
        return same;
      },
      { intervals: [100] },
    )
    .toBe(true);
  return last;
}

const intersects = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test.beforeEach(({ page }) => page.on("dialog", (d) => void d.accept()));

test("menus and popovers close on Escape and on a click outside (canvas, inspector, toolbar)", async ({ page, request }) => {
  await openEditor(page, await createByName(request, unique("Menus")));
  const menu = page.getByTestId("layout-menu");
  const open = async () => {
    await page.getByTestId("toolbar-layout-menu").click();
    await expect(menu).toBeVisible();
  };

  await open();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();

  await open();
  const canvas = await box(page.getByTestId("canvas"));
  await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height - 60); // empty canvas
  await expect(menu).toBeHidden();

  await open();
  await page.getByTestId("inspector").click({ position: { x: 20, y: 200 } });
  await expect(menu).toBeHidden();

  await open();
  await page.getByTestId("toolbar-help").click(); // the shortcuts dialog does not open over a menu left open
  await expect(menu).toBeHidden();
  await page.keyboard.press("Escape");

  await open();
  await page.getByTestId("toolbar-layout-menu").click(); // the chevron toggles
  await expect(menu).toBeHidden();

  // The run picker popover behaves the same.
  const picker = page.getByTestId("run-picker-menu");
  await page.getByTestId("run-picker").click();
  await expect(picker).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(picker).toBeHidden();
  await page.getByTestId("run-picker").click();
  await expect(picker).toBeVisible();
  await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height - 60);
  await expect(picker).toBeHidden();
});

test("a new workflow: Output right of Start, an Agent dropped between them, and the first run returns the Agent's answer", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("new-workflow-button").click();
  await page.getByTestId("workflow-name-input").fill(unique("First run"));
  await page.getByTestId("name-dialog-submit").click();
  await expect(page.getByTestId("editor")).toBeVisible();
  const start = await box(page.getByTestId("node-start"));
  const output = await box(page.getByTestId("node-output"));
  // Output sits to the right of Start, on the same row: the first edge is straight, not an S-loop.
  expect(output.x).toBeGreaterThan(start.x + start.width);
  expect(Math.abs(output.y - start.y)).toBeLessThan(5);

  // Drop an Agent below, rewire Start → Agent → Output.
  await dropKindAt(page, "agent", (start.x + output.x + output.width) / 2, start.y + 180);
  await expect(page.getByTestId("node-agent")).toBeVisible();
  await page.getByTestId("field-role").fill("Researcher");
  await expect(page.getByTestId("node-label-agent")).toHaveText("Researcher"); // the card names the node, not "Agent / Agent"
  await page.locator('.react-flow__edge[data-id="e-start-output"]').click({ force: true });
  await page.keyboard.press("Delete");
  await expect(page.locator('.react-flow__edge[data-id="e-start-output"]')).toHaveCount(0);
  await connect(page, "handle-start-out", "handle-agent-in");
  await connect(page, "handle-agent-out", "handle-output-in");
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  await page.getByTestId("run-button").click();
  await expect(page.getByTestId("run-input-dialog")).toBeVisible();
  await page.getByTestId("run-field-input").fill("What is LangGraph?");
  await page.getByTestId("run-submit").click();
  const bar = page.getByTestId("run-bar");
  await expect(bar).toHaveAttribute("data-run-status", "succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("run-bar-result-from")).toHaveText("Researcher");
  const result = page.getByTestId("run-bar-result");
  await expect(result).toContainText("[Simulated model]");
  expect(await result.getAttribute("title")).not.toBe("What is LangGraph?");

  // The run view says the same.
  await page.getByTestId("run-open-view").click();
  await expect(page.getByTestId("run-result-from")).toHaveText("from Researcher");
  await expect(page.getByTestId("run-result")).toContainText("Simulated model");
  await expect(page.getByTestId("run-result")).not.toHaveText(/^"?What is LangGraph\?"?$/);
});

test("a node dropped on top of another moves to a free spot", async ({ page, request }) => {
  await openEditor(page, await createByName(request, unique("Drop nudge")));
  const start = await box(page.getByTestId("node-start"));
  await dropKindAt(page, "agent", start.x + start.width / 2, start.y + start.height / 2);
  await expect(page.getByTestId("node-agent")).toBeVisible();
  const agent = await box(page.getByTestId("node-agent"));
  const output = await box(page.getByTestId("node-output"));
  const startNow = await box(page.getByTestId("node-start"));
  expect(intersects(agent, startNow)).toBe(false);
  expect(intersects(agent, output)).toBe(false);
  // Nudged, not thrown far away.
  expect(Math.hypot(agent.x - startNow.x, agent.y - startNow.y)).toBeLessThan(250);
});

test("importing a name that exists gets a distinct name, and the dialog says so", async ({ page, request }) => {
  const name = unique("Twin");
  const doc = { schemaVersion: 1, name, nodes: [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } }] };
  await request.post("/api/workflows/import", { data: doc });
  await page.goto("/");
  await page.getByTestId("import-button").click();
  await page.getByTestId("import-paste").fill(JSON.stringify(doc));
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-renamed")).toContainText(`Imported as ${name} (imported)`);
  await page.getByTestId("import-open").click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  await expect(page.getByTestId("workflow-name")).toHaveValue(`${name} (imported)`);
  const names = ((await (await request.get("/api/workflows")).json()) as { workflows: { name: string }[] }).workflows.map((w) => w.name);
  expect(names.filter((n) => n === name)).toHaveLength(1);
  expect(names).toContain(`${name} (imported)`);
});

test("import errors say what is wrong in plain words, with the code and path as detail", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("import-button").click();
  await page
    .getByTestId("import-paste")
    .fill(JSON.stringify({ schemaVersion: 1, nodes: [{ id: "start", kind: "start", label: "Start", position: { x: "left", y: 0 } }] }));
  await page.getByTestId("import-submit").click();
  const texts = page.getByTestId("import-issue-text");
  await expect(texts.first()).toBeVisible();
  expect(await texts.allTextContents()).toEqual(expect.arrayContaining(["The workflow has no name", "Node 1's position (x) must be a number, not text"]));
  expect(await page.getByTestId("import-issue-path").allTextContents()).toEqual(expect.arrayContaining(["$.name", "$.nodes[0].position.x"]));
});

test("the minimap is small, collapses, and lets a press on a node under it through", async ({ page, request }) => {
  await openEditor(page, await createByName(request, unique("Minimap")));
  const minimap = page.locator(".react-flow__minimap");
  await expect(minimap).toBeVisible();
  const mm = await box(minimap);
  expect(mm.width).toBeLessThanOrEqual(160);

  // Drag Output under the minimap: the minimap lets presses through to it and its handles. The
  // canvas settles first (fit view after load): a drag that starts mid-move lands somewhere else.
  const output = await settledBox(page.getByTestId("node-output"));
  await page.mouse.move(output.x + 40, output.y + 20);
  await page.mouse.down();
  await page.mouse.move(mm.x + 60, mm.y + 30, { steps: 12 });
  await page.mouse.up();
  await expect(minimap).toHaveClass(/aura-minimap-through/);
  const handle = await box(page.getByTestId("handle-output-in"));
  const hit = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x, y)?.closest("[data-testid]")?.getAttribute("data-testid"),
    [handle.x + handle.width / 2, handle.y + handle.height / 2],
  );
  expect(hit).toBe("handle-output-in");

  await page.getByTestId("minimap-toggle").click();
  await expect(minimap).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("editor")).toBeVisible();
  await expect(page.getByTestId("minimap-toggle")).toHaveAttribute("aria-expanded", "false"); // remembered
  await page.getByTestId("minimap-toggle").click();
  await expect(minimap).toBeVisible();
});
