import { readFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/**
 * Escalation in real Chromium against the production server, offline (Simulated model): the
 * customer-support template's Support agent answers a ticket marked unsure ([[confidence=0.3]]), its
 * team lead (the supervisor level) is unsure too, so a person gets the step in the approvals inbox
 * with the evidence; approving finishes the run, the run view shows the three levels, and the
 * workflow's dashboard counts the escalations of that node.
 */

/** Serious and critical WCAG 2 A/AA violations inside `selector` (the escalation views only). */
async function violations(page: Page, selector: string): Promise<string[]> {
  await page.waitForTimeout(300); // entry transitions: axe reads computed colours
  const r = await new AxeBuilder({ page }).include(selector).withTags(["wcag2a", "wcag2aa"]).analyze();
  return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}

const REPLY = "We refunded the duplicate charge for order o-7731; it shows on your statement within 3 days.";
const template = () => JSON.parse(readFileSync(join(process.cwd(), "templates/customer-support.aura.json"), "utf8"));

test("a low-confidence answer goes agent → supervisor → human in the inbox; approving finishes the run; the run view and the dashboard show the levels", async ({
  page,
  request,
}) => {
  const name = `Escalating support ${Date.now().toString(36)}`;
  const created = await request.post("/api/workflows", { data: { document: { ...template(), name } } });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const started = await request.post(`/api/workflows/${id}/runs`, {
    // The marker rides on the intent (an unknown intent takes the default route to the same agent), and
    // the reviewer replaces the answer: nothing with the marker reaches the template's case memory,
    // which later runs of the template (e2e/templates.spec.ts) read into their prompts.
    data: { input: { ticket: "I was charged twice for order o-7731", intent: "billing [[confidence=0.3]]", urgency: 2, customerId: "c-1042" } },
  });
  expect(started.status(), await started.text()).toBe(202);
  const { runId } = await started.json();
  await expect.poll(async () => (await (await request.get(`/api/runs/${runId}`)).json()).status, { timeout: 30_000 }).toBe("waiting");

  // The inbox: the Support agent's step, with each level's answer, confidence and reason.
  await page.goto("/approvals");
  const item = page.getByTestId(`approval-item-${runId}-support-agent`);
  await expect(item).toBeVisible({ timeout: 15_000 });
  const evidence = page.getByTestId(`approval-${runId}-support-agent-evidence`);
  await expect(evidence).toBeVisible();
  const tries = evidence.getByTestId(`approval-${runId}-support-agent-evidence-try`);
  await expect(tries).toHaveCount(2);
  await expect(tries.nth(0)).toHaveAttribute("data-level", "agent");
  await expect(tries.nth(0)).toContainText("0.30 / 0.85");
  await expect(tries.nth(0)).toContainText("confidence 0.3 is below 0.85");
  await expect(tries.nth(1)).toHaveAttribute("data-level", "supervisor");
  await expect(item).toContainText("Neither the support agent nor the team lead was sure enough");
  // The proposed answer is prefilled and editable; the reviewer's edit is what the run sends.
  const answer = page.getByTestId(`approval-${runId}-support-agent-field-answer`);
  await expect(answer).toHaveValue(/^Simulated answer for: /);
  await page.screenshot({ path: test.info().outputPath("escalation-inbox.png") });
  expect(await violations(page, `[data-testid="approval-${runId}-support-agent-evidence"]`)).toEqual([]);
  await answer.fill(REPLY);
  await item.getByRole("button", { name: "Approve" }).click();
  await expect(item).toHaveCount(0, { timeout: 15_000 });

  await expect.poll(async () => (await (await request.get(`/api/runs/${runId}`)).json()).status, { timeout: 30_000 }).toBe("succeeded");
  const run = await (await request.get(`/api/runs/${runId}`)).json();
  expect(run.result).toBe(REPLY);

  // The run view: the node's details show the levels in order.
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("run-timeline")).toBeVisible({ timeout: 15_000 });
  await page.getByTestId("timeline-row-support-agent").getByRole("button").first().click();
  const levels = page.getByTestId("escalation-level");
  await expect(levels).toHaveCount(3);
  await expect(levels.nth(0)).toHaveAttribute("data-level", "agent");
  await expect(levels.nth(0)).toHaveAttribute("data-outcome", "escalated");
  await expect(levels.nth(0)).toContainText("Supervisor");
  await expect(levels.nth(1)).toHaveAttribute("data-level", "supervisor");
  await expect(levels.nth(1)).toHaveAttribute("data-outcome", "escalated");
  await expect(levels.nth(2)).toHaveAttribute("data-level", "human");
  await expect(levels.nth(2)).toHaveAttribute("data-outcome", "approved");
  await page.screenshot({ path: test.info().outputPath("escalation-run-view.png") });
  expect(await violations(page, '[data-testid="escalation-levels"]')).toEqual([]);

  // The policy is edited in the Agent's inspector (the schema form renders it from the zod config).
  await page.goto(`/workflows/${encodeURIComponent(id)}`);
  await page.getByTestId("node-support-agent").click();
  await expect(page.getByTestId("field-escalation.enabled")).toBeChecked();
  await expect(page.getByTestId("field-escalation.threshold")).toHaveValue("0.85");
  await expect(page.getByTestId("field-escalation.confidenceSource")).toHaveValue("field");
  await expect(page.getByTestId("field-escalation.human")).toBeChecked();

  // The workflow's dashboard counts the node's escalations.
  await page.goto(`/workflows/${encodeURIComponent(id)}/runs`);
  const row = page.getByTestId("escalations").getByTestId("escalation-row");
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await expect(row).toHaveAttribute("data-node", "support-agent");
  await expect(row).toHaveAttribute("data-count", "2");
  await expect(row).toContainText("1 to supervisor · 1 to human · 1 approved, 0 rejected");
  expect(await violations(page, '[data-testid="escalations"]')).toEqual([]);
});
