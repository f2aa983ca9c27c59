import { expect, test } from "@playwright/test";

// The dashboard's storage panel against the real server: what is kept (runs, the audit log's two
// retention times), "Prune now" as an admin, and the last pass's report, audit entries included.

test("the storage panel shows retention, prunes on demand and reports the pass", async ({ page, request }) => {
  // One run, so there is something to report.
  const created = await request.post("/api/workflows", {
    data: {
      document: {
        schemaVersion: 1,
        name: "Storage panel",
        nodes: [
          { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
          { id: "out", kind: "output", label: "Out", position: { x: 0, y: 120 }, config: { value: "done" } },
        ],
        edges: [{ id: "e1", source: "start", target: "out" }],
        settings: {},
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const run = await request.post(`/api/workflows/${(await created.json()).id}/runs?wait=10`, { data: { input: {} } });
  expect(run.status(), await run.text()).toBe(200);

  await page.goto("/runs");
  const panel = page.getByTestId("storage-panel");
  await expect(panel.getByTestId("storage-audit")).toHaveText("365 days, run starts 30 days");
  await expect(panel.getByTestId("storage-runs")).toHaveText(/^[1-9][\d,]*$/);
  await expect(panel.getByTestId("storage-tables")).toContainText("AuditEntry");

  await panel.getByTestId("prune-now").click();
  await expect(page.getByText(/^Pruned \d+ runs in \d+\.\d s/)).toBeVisible();
  await expect(panel.getByTestId("storage-last")).toContainText(/\d+ runs removed, \d+ compacted, \d+ audit entries removed/);
});
