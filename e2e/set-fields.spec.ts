import { expect, test } from "@playwright/test";

/**
 * The Set fields node in real Chromium against the production server: add it from the palette, edit an
 * assignment in the inspector, see a parse error and an unknown-field warning on the expression itself,
 * save, and run the saved workflow through the API to the typed result.
 */

const unique = (base: string) => `${base} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("Set fields: palette, inspector form, expression problems on the field, save and run", async ({ page, request }) => {
  const created = await request.post("/api/workflows", {
    data: {
      document: {
        schemaVersion: 1,
        name: unique("Set fields e2e"),
        nodes: [
          { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [{ name: "counter", type: "number", required: true }] } },
          { id: "out", kind: "output", label: "Out", position: { x: 0, y: 400 }, config: { value: "{{json counter}}" } },
        ],
        edges: [],
      },
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await page.goto(`/workflows/${encodeURIComponent(id)}`);
  await expect(page.getByTestId("editor")).toBeVisible();
  await page.getByTestId("palette-item-set-fields").click();
  await expect(page.getByTestId("node-set-fields")).toBeVisible();
  await expect(page.getByTestId("inspector-node-set-fields")).toBeVisible();

  // The default line, as a form: field, expression, type.
  await expect(page.getByTestId("field-assignments.0.field")).toHaveValue("counter");
  await expect(page.getByTestId("field-assignments.0.type")).toHaveValue("number");

  const expression = page.getByTestId("field-assignments.0.expression");
  await expression.fill("counter *");
  await expect(page.getByTestId("field-assignments.0.expression-error")).toContainText('cannot parse "counter *"');
  await expression.fill("countr * 2");
  await expect(page.getByTestId("field-assignments.0.expression-error")).toContainText('"countr" is not a state field');
  await expression.fill("counter * 2 + 1");
  await expect(page.getByTestId("field-assignments.0.expression-error")).toHaveCount(0);

  await page.getByTestId("toolbar-save").click();
  await expect(page.getByTestId("saved-marker")).toBeVisible();

  // Wire it in through the API (dragging edges is covered by the editor spec) and run it.
  const saved = (await (await request.get(`/api/workflows/${encodeURIComponent(id)}`)).json()) as {
    version: number;
    document: { edges: unknown[]; nodes: { id: string; kind: string; config: unknown }[] };
  };
  const setNode = saved.document.nodes.find((n) => n.kind === "set-fields")!;
  expect(setNode.config).toEqual({ assignments: [{ field: "counter", expression: "counter * 2 + 1", type: "number" }] });
  const document = {
    ...saved.document,
    edges: [
      { id: "e1", source: "start", target: setNode.id },
      { id: "e2", source: setNode.id, target: "out" },
    ],
  };
  expect((await request.put(`/api/workflows/${encodeURIComponent(id)}`, { data: { baseVersion: saved.version, document } })).status()).toBe(200);
  const started = await request.post(`/api/workflows/${encodeURIComponent(id)}/runs`, { data: { input: { counter: 20 } } });
  expect(started.status(), await started.text()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string; result?: unknown }).result, { timeout: 20_000 })
    .toBe(41);
});
