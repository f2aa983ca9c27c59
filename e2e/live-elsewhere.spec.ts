import { expect, test, type APIRequestContext } from "@playwright/test";

/**
 * A run started elsewhere (here the API; webhooks and schedules take the same path) is announced in
 * an open editor and can be watched live on the canvas, as a run started from the Run button.
 */

const chain = (name: string) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    { id: "d1", kind: "delay", label: "Wait 1", position: { x: 260, y: 0 }, config: { ms: 600 } },
    { id: "d2", kind: "delay", label: "Wait 2", position: { x: 520, y: 0 }, config: { ms: 600 } },
    { id: "out", kind: "output", label: "Done", position: { x: 780, y: 0 }, config: { value: "done" } },
  ],
  edges: [
    { id: "e0", source: "start", target: "d1" },
    { id: "e1", source: "d1", target: "d2" },
    { id: "e2", source: "d2", target: "out" },
  ],
});

async function post(request: APIRequestContext, url: string, data: unknown, status: number) {
  const res = await request.post(url, { data });
  expect(res.status(), await res.text()).toBe(status);
  return res.json();
}

test("a run started through the API is announced in the open editor and watched live", async ({ page, request }) => {
  const { id } = await post(request, "/api/workflows", { document: chain(`Watch elsewhere ${Date.now().toString(36)}`) }, 201);
  await page.goto(`/workflows/${id}`);
  await expect(page.getByTestId("run-button")).toHaveAttribute("data-blocked", "false");
  // Give the workflow feed time to subscribe before the run starts.
  await page.waitForTimeout(500);

  const { runId } = await post(request, `/api/workflows/${id}/runs`, { input: {} }, 202);
  const notice = page.getByTestId("run-elsewhere");
  await expect(notice).toContainText(runId);
  await page.getByTestId("run-elsewhere-watch").click();

  const bar = page.getByTestId("run-bar");
  await expect(bar).toHaveAttribute("data-run-id", runId);
  await expect(page).toHaveURL(new RegExp(`\\?run=${runId}$`));
  // Seen live: the second delay runs while we watch, then everything succeeds.
  await expect(page.getByTestId("run-status-d2")).toHaveAttribute("data-run-status", "running", { timeout: 15_000 });
  await expect(bar).toHaveAttribute("data-run-status", "succeeded", { timeout: 15_000 });
  for (const n of ["start", "d1", "d2", "out"]) await expect(page.getByTestId(`run-status-${n}`)).toHaveAttribute("data-run-status", "succeeded");
  await expect(bar).toHaveAttribute("data-gaps", "0");
  await expect(bar).toHaveAttribute("data-duplicates", "0");
  await expect(notice).toBeHidden();
});
