import { expect, test } from "@playwright/test";

// The workers panel on the runs dashboard (GET /api/queue): this e2e server runs in one process
// (no REDIS_URL), so it lists itself (role "all", its pid, a fresh heartbeat) and its queue.

test("the runs dashboard shows the processes and the run queue", async ({ page, request }) => {
  const res = await request.get("/api/queue");
  expect(res.status(), await res.text()).toBe(200);
  const status = await res.json();
  expect(status.mode).toBe("in-process");
  expect(status.processes).toHaveLength(1);
  expect(status.processes[0]).toMatchObject({ role: "all", draining: false });

  await page.goto("/runs");
  const panel = page.getByTestId("workers-panel");
  await expect(panel).toBeVisible();
  await expect(panel.getByText("One process")).toBeVisible();
  const row = panel.getByTestId("worker-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(String(status.processes[0].pid));
  await expect(row).toContainText("all");
  for (const k of ["waiting", "active", "delayed"]) await expect(panel.getByTestId(`queue-${k}`)).toHaveText(/^\d+$/);
});
