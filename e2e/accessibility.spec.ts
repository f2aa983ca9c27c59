import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * axe-core (WCAG 2 A and AA rules) on every page of the app, in the light and the dark theme.
 * Any serious or critical violation fails the test, with the rule and the offending elements named.
 */

/** start → approval → output: one run waits for a human, so /approvals has an item to check. */
const approvalDoc = (name: string) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    { id: "ap", kind: "human-approval", label: "Approve", position: { x: 250, y: 0 }, config: { instructions: "Ship it?" } },
    { id: "out", kind: "output", label: "Done", position: { x: 500, y: 0 }, config: { value: "{{ap.approved}}" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "ap" },
    { id: "e2", source: "ap", target: "out", sourceHandle: "approved" },
    { id: "e3", source: "ap", target: "out", sourceHandle: "rejected" },
  ],
  settings: {},
});

/** start → delay → output: a run that succeeds. */
const okDoc = (name: string) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    { id: "wait", kind: "delay", label: "Wait", position: { x: 0, y: 120 }, config: { ms: 5 } },
    { id: "out", kind: "output", label: "Out", position: { x: 0, y: 240 }, config: { value: "done" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "wait" },
    { id: "e2", source: "wait", target: "out" },
  ],
  settings: {},
});

async function createWorkflow(request: APIRequestContext, document: unknown): Promise<string> {
  const res = await request.post("/api/workflows", { data: { document } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

async function startRun(request: APIRequestContext, workflowId: string, status: string): Promise<string> {
  const res = await request.post(`/api/workflows/${workflowId}/runs`, { data: { input: {} } });
  expect(res.status(), await res.text()).toBe(202);
  const { runId } = await res.json();
  await expect.poll(async () => (await (await request.get(`/api/runs/${runId}`)).json()).status, { timeout: 20_000 }).toBe(status);
  return runId;
}

/** Serious and critical WCAG 2 A/AA violations on the page as it is now, one line per element. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`));
}

interface Fixture {
  okId: string;
  okName: string;
  runId: string;
}
let fx: Fixture;

/** Every page of the app, and what shows it has loaded (generous: 8 engineers share 2 cores here). */
const LOADED = { timeout: 45_000 };
const pages: { name: string; path: (f: Fixture) => string; ready: (p: Page, f: Fixture) => Promise<void> }[] = [
  { name: "workflows", path: () => "/", ready: (p, f) => expect(p.getByText(f.okName)).toBeVisible(LOADED) },
  { name: "editor", path: (f) => `/workflows/${f.okId}`, ready: (p) => expect(p.locator(".react-flow__node").first()).toBeVisible(LOADED) },
  { name: "runs dashboard", path: () => "/runs", ready: (p, f) => expect(p.locator(`[data-run-id="${f.runId}"]`)).toBeVisible(LOADED) },
  { name: "run view", path: (f) => `/runs/${f.runId}`, ready: (p) => expect(p.getByTestId("run-timeline")).toBeVisible(LOADED) },
  { name: "workflow runs", path: (f) => `/workflows/${f.okId}/runs`, ready: (p, f) => expect(p.locator(`[data-run-id="${f.runId}"]`)).toBeVisible(LOADED) },
  { name: "approvals", path: () => "/approvals", ready: (p) => expect(p.getByRole("button", { name: "Approve" }).first()).toBeVisible(LOADED) },
];

test.beforeAll(async ({ request }) => {
  const suffix = Date.now().toString(36);
  const okName = `A11y ok ${suffix}`;
  const okId = await createWorkflow(request, okDoc(okName));
  const waiting = await createWorkflow(request, approvalDoc(`A11y approval ${suffix}`));
  const runId = await startRun(request, okId, "succeeded");
  await startRun(request, waiting, "waiting");
  fx = { okId, okName, runId };
});

for (const theme of ["light", "dark"] as const) {
  for (const p of pages) {
    test(`${p.name} has no serious or critical axe violation in the ${theme} theme`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.addInitScript((t) => localStorage.setItem("aura-theme", t), theme);
      await page.goto(p.path(fx));
      await p.ready(page, fx);
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(theme === "dark");
      // Let entry transitions settle: axe reads computed colours.
      await page.waitForTimeout(500);
      const found = await seriousViolations(page);
      expect(found, found.join("\n")).toEqual([]);
    });
  }
}
