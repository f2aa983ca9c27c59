import { expect, test } from "@playwright/test";

/**
 * A Human approval inside a Parallel map's branch waits once per item. The inbox shows each item's
 * own instructions and answers exactly that item (by its interrupt id), whatever the order.
 */

const doc = (name: string) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [{ name: "items", type: "json" }] } },
    { id: "map", kind: "parallel-map", label: "Each order", position: { x: 250, y: 0 }, config: { itemsFrom: "items", itemName: "item" } },
    { id: "ap", kind: "human-approval", label: "Approve shipment", position: { x: 500, y: 0 }, config: { instructions: "Ship order {{item}}?" } },
    { id: "t", kind: "template", label: "Result", position: { x: 750, y: 0 }, config: { template: "{{item}}:{{ap.approved}}" } },
    { id: "j", kind: "join", label: "Collect", position: { x: 1000, y: 0 }, config: { outputKey: "all" } },
    { id: "o", kind: "output", label: "Done", position: { x: 1250, y: 0 }, config: { value: "{{all}}" } },
  ],
  edges: [
    { id: "e0", source: "start", target: "map" },
    { id: "e1", source: "map", target: "ap", sourceHandle: "each" },
    { id: "e2", source: "ap", target: "t", sourceHandle: "approved" },
    { id: "e3", source: "ap", target: "t", sourceHandle: "rejected" },
    { id: "e4", source: "t", target: "j" },
    { id: "e5", source: "j", target: "o" },
  ],
});

test("approvals of a map's items are answered one by one from the inbox, each reaching its own item", async ({ page, request }) => {
  const name = `Ship orders ${Date.now().toString(36)}`;
  const created = await request.post("/api/workflows", { data: { document: doc(name) } });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const started = await request.post(`/api/workflows/${id}/runs`, { data: { input: { items: ["A-17", "B-42"] } } });
  expect(started.status()).toBe(202);
  const { runId } = await started.json();
  await expect.poll(async () => (await (await request.get(`/api/runs/${runId}`)).json()).status, { timeout: 20_000 }).toBe("waiting");

  await page.goto("/approvals");
  const items = page.getByTestId(`approval-item-${runId}-ap`);
  await expect(items).toHaveCount(2);
  const b = items.filter({ hasText: "Ship order B-42?" });
  await expect(b).toContainText("item 2");
  // Reject the second item first: the first item must stay waiting.
  await b.getByRole("button", { name: "Reject" }).click();
  await expect(items).toHaveCount(1, { timeout: 15_000 });
  await expect(items).toContainText("Ship order A-17?");
  await items.getByRole("button", { name: "Approve" }).click();
  await expect(items).toHaveCount(0, { timeout: 15_000 });

  await expect.poll(async () => (await (await request.get(`/api/runs/${runId}`)).json()).status, { timeout: 20_000 }).toBe("succeeded");
  const run = await (await request.get(`/api/runs/${runId}`)).json();
  expect(run.result).toEqual(["A-17:true", "B-42:false"]);
});
