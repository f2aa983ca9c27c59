import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Live execution in real Chromium against the production server: a template run started from the
 * editor lights its nodes up in order; the socket dropped mid-run loses and repeats no event; a Human
 * approval answered from the canvas (and from the inbox) lets the run finish; a fork from a checkpoint
 * links to its parent and back.
 */

const unique = (base: string) => `${base} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const template = (name: string) => JSON.parse(readFileSync(path.join(process.cwd(), "templates", `${name}.aura.json`), "utf8"));

/** start → d1 … dn (delay nodes) → out: slow enough to watch each node run. */
const delayChain = (name: string, n: number, ms: number) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    ...Array.from({ length: n }, (_, i) => ({ id: `d${i + 1}`, kind: "delay", label: `Wait ${i + 1}`, position: { x: 260 * (i + 1), y: 0 }, config: { ms } })),
    { id: "out", kind: "output", label: "Done", position: { x: 260 * (n + 1), y: 0 }, config: { value: "done" } },
  ],
  edges: [
    { id: "e0", source: "start", target: "d1" },
    ...Array.from({ length: n - 1 }, (_, i) => ({ id: `e${i + 1}`, source: `d${i + 1}`, target: `d${i + 2}` })),
    { id: `e${n}`, source: `d${n}`, target: "out" },
  ],
});

async function createWorkflow(request: APIRequestContext, document: unknown): Promise<string> {
  const res = await request.post("/api/workflows", { data: { document } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
async function startRun(request: APIRequestContext, workflowId: string, input: unknown = {}): Promise<string> {
  const res = await request.post(`/api/workflows/${workflowId}/runs`, { data: { input } });
  expect(res.status(), await res.text()).toBe(202);
  return ((await res.json()) as { runId: string }).runId;
}
async function waitForStatus(request: APIRequestContext, runId: string, statuses: string[]) {
  await expect
    .poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toMatch(new RegExp(`^(${statuses.join("|")})$`));
}

/** Records every data-run-status a node shows, in order (installed before the page loads). */
async function recordStatuses(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __AURA_TEST_HOOKS__: boolean; __statusLog: { id: string; status: string }[] };
    w.__AURA_TEST_HOOKS__ = true;
    w.__statusLog = [];
    const seen = new Map<string, string>();
    const visit = (el: Element) => {
      const tid = el.getAttribute("data-testid");
      const status = el.getAttribute("data-run-status");
      if (!tid?.startsWith("run-status-") || !status) return;
      const id = tid.slice("run-status-".length);
      if (seen.get(id) !== status) {
        seen.set(id, status);
        w.__statusLog.push({ id, status });
      }
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "attributes") visit(r.target as Element);
        else for (const n of r.addedNodes) if (n instanceof Element) [n, ...n.querySelectorAll("[data-run-status]")].forEach(visit);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-run-status"] });
  });
}

const statusLog = (page: Page) => page.evaluate(() => (window as unknown as { __statusLog: { id: string; status: string }[] }).__statusLog);

test("a template run started from the editor lights its nodes up in order", async ({ page, request }) => {
  const doc = { ...template("document-analysis"), name: unique("Live analysis") };
  const id = await createWorkflow(request, doc);
  await recordStatuses(page);
  await page.goto(`/workflows/${id}`);
  await expect(page.getByTestId("run-button")).toHaveAttribute("data-blocked", "false");
  await page.getByTestId("run-button").click();
  await expect(page.getByTestId("run-input-dialog")).toBeVisible();
  // JSON fields are validated before the run starts.
  await page.getByTestId("run-field-documents").fill("[{ not json");
  await page.getByTestId("run-submit").click();
  await expect(page.getByTestId("run-field-documents-error")).toContainText("Not valid JSON");
  await page.getByTestId("run-field-documents").fill(
    JSON.stringify([
      { id: "d1", title: "A", text: "wonderful, happy result" },
      { id: "d2", title: "B", text: "bad and sad" },
    ]),
  );
  await page.getByTestId("run-field-topic").fill("pilot");
  await page.getByTestId("run-submit").click();

  const bar = page.getByTestId("run-bar");
  await expect(bar).toHaveAttribute("data-run-status", "succeeded", { timeout: 30_000 });
  const runId = (await bar.getAttribute("data-run-id"))!;
  await expect(page).toHaveURL(new RegExp(`\\?run=${runId}$`));
  for (const n of ["start", "for-each-document", "collect-results", "write-summary", "summary"])
    await expect(page.getByTestId(`run-status-${n}`)).toHaveAttribute("data-run-status", "succeeded");

  // Order: every node went queued → (running) → succeeded, and a node succeeded only after the ones before it.
  const log = await statusLog(page);
  const order = ["start", "for-each-document", "collect-results", "write-summary", "summary"];
  const firstDone = order.map((n) => log.findIndex((e) => e.id === n && e.status === "succeeded"));
  expect(firstDone.every((i) => i >= 0)).toBe(true);
  expect([...firstDone].sort((a, b) => a - b)).toEqual(firstDone);
  for (const n of order) {
    const seq = log.filter((e) => e.id === n).map((e) => e.status);
    expect(seq[0], `${n}: ${seq.join(" → ")}`).toBe("queued");
    expect(seq.at(-1)).toBe("succeeded");
    expect(seq.filter((s) => s === "failed")).toEqual([]);
  }
  // The taken path is drawn.
  expect(await page.locator(".react-flow__edge-path[data-run]").count()).toBeGreaterThan(3);
  // Every event applied once.
  await expect(bar).toHaveAttribute("data-gaps", "0");
  await expect(bar).toHaveAttribute("data-duplicates", "0");
});

test("nodes of a slow chain are seen running one after another, each before it succeeds", async ({ page, request }) => {
  const id = await createWorkflow(request, delayChain(unique("Live chain"), 4, 350));
  await recordStatuses(page);
  await page.goto(`/workflows/${id}`);
  await page.getByTestId("run-button").click();
  await page.getByTestId("run-submit").click();
  await expect(page.getByTestId("run-bar")).toHaveAttribute("data-run-status", "succeeded", { timeout: 30_000 });
  const log = (await statusLog(page)).filter((e) => e.status === "running" || e.status === "succeeded");
  // d1 may already be over when the subscription's first delivery arrives; the others are seen live.
  const chain = ["d2", "d3", "d4"];
  const transitions = log.filter((e) => e.id === "d1" || chain.includes(e.id)).map((e) => `${e.id}:${e.status}`);
  expect(transitions.filter((t) => !t.startsWith("d1:running"))).toEqual(["d1:succeeded", ...chain.flatMap((n) => [`${n}:running`, `${n}:succeeded`])]);
  await expect(page.getByTestId("run-status-d1").locator("xpath=..").getByRole("status")).toContainText("ms");
  // Zoomed far out (level of detail) the badge is not drawn; the status stays on the node, as a tint.
  for (let i = 0; i < 8; i++) await page.locator(".react-flow__controls-zoomout").click();
  await expect(page.getByTestId("run-status-d1")).toHaveClass(/run-lod/);
  await expect(page.getByTestId("run-status-d1")).toHaveAttribute("data-run-status", "succeeded");
  await expect(page.getByTestId("run-status-d1").locator("xpath=..").getByRole("status")).toHaveCount(0);
});

test("dropping the socket mid-run loses and repeats no event in the run view's log", async ({ page, request }) => {
  const id = await createWorkflow(request, delayChain(unique("Live reconnect"), 8, 300));
  await page.addInitScript(() => ((window as unknown as { __AURA_TEST_HOOKS__: boolean }).__AURA_TEST_HOOKS__ = true));
  const runId = await startRun(request, id);
  await page.goto(`/runs/${runId}`);
  await page.getByTestId("tab-events").click();
  const logEl = page.getByTestId("event-log");
  await expect.poll(async () => Number(await logEl.getAttribute("data-count"))).toBeGreaterThan(4);
  await page.evaluate(() => (window as unknown as { __auraRunLog: { socket: () => { disconnect(): void } } }).__auraRunLog.socket().disconnect());
  await expect(page.getByTestId("run-stream")).not.toHaveAttribute("data-stream", "live");
  await page.waitForTimeout(900); // the run goes on while we are away
  await page.evaluate(() => (window as unknown as { __auraRunLog: { socket: () => { connect(): void } } }).__auraRunLog.socket().connect());
  await waitForStatus(request, runId, ["succeeded"]);
  await expect(page.getByTestId("run-header")).toHaveAttribute("data-status", "succeeded");

  const server = ((await (await request.get(`/api/runs/${runId}/events?after=-1&limit=1000`)).json()) as { events: { seq: number }[] }).events.map(
    (e) => e.seq,
  );
  const expected = Array.from({ length: server.length }, (_, i) => i);
  expect(server).toEqual(expected);
  await expect.poll(async () => Number(await logEl.getAttribute("data-count"))).toBe(server.length);
  const { delivered, logged } = await page.evaluate(() => {
    const h = (window as unknown as { __auraRunLog: { delivered: () => number[]; logged: () => number[] } }).__auraRunLog;
    return { delivered: h.delivered(), logged: h.logged() };
  });
  expect(delivered).toEqual(expected); // as delivered by the socket, before any dedup: each seq once, in order
  expect(logged).toEqual(expected);
  await expect(logEl).toHaveAttribute("data-distinct", String(server.length));
  // Filters keep working on the complete log.
  await page.getByTestId("log-filter-type").selectOption("node.finished");
  await expect(page.getByTestId("log-shown")).toContainText("10 of");
});

test("a Human approval answered on the canvas lets the run finish; the inbox answers another", async ({ page, request }) => {
  const doc = { ...template("customer-support"), name: unique("Live support") };
  const id = await createWorkflow(request, doc);
  await page.addInitScript(() => ((window as unknown as { __AURA_TEST_HOOKS__: boolean }).__AURA_TEST_HOOKS__ = true));
  await page.goto(`/workflows/${id}`);
  await page.getByTestId("run-button").click();
  await page.getByTestId("run-field-ticket").fill("My lawyer wants a refund");
  await page.getByTestId("run-field-intent").fill("legal");
  await page.getByTestId("run-field-urgency").fill("5");
  await page.getByTestId("run-submit").click();
  const bar = page.getByTestId("run-bar");
  await expect(bar).toHaveAttribute("data-run-status", "waiting", { timeout: 30_000 });
  const runId = (await bar.getAttribute("data-run-id"))!;
  await expect(page.getByTestId("run-status-supervisor-review")).toHaveAttribute("data-run-status", "waiting");
  await page.getByTestId("node-supervisor-review").click();
  const form = page.getByTestId(`approval-${runId}-supervisor-review`);
  await expect(form).toBeVisible();
  await form.getByTestId(`approval-${runId}-supervisor-review-field-draftReply`).fill("Approved reply from the e2e test");
  await form.getByTestId(`approval-${runId}-supervisor-review-comment`).fill("ok");
  await form.getByTestId(`approval-${runId}-supervisor-review-approve`).click();
  await expect(bar).toHaveAttribute("data-run-status", "succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("run-status-supervisor-review")).toHaveAttribute("data-run-status", "succeeded");
  const run = (await (await request.get(`/api/runs/${runId}`)).json()) as { status: string; result: unknown; nodes: Record<string, { port?: string }> };
  expect(run.status).toBe("succeeded");
  expect(run.nodes["supervisor-review"].port).toBe("approved");
  expect(JSON.stringify(run.result)).toContain("Approved reply from the e2e test");

  // The inbox lists a waiting approval of a run started through the API and rejects it inline.
  const other = await startRun(request, id, { ticket: "Legal threat", intent: "legal", urgency: 5 });
  await waitForStatus(request, other, ["waiting"]);
  await page.goto("/approvals");
  const item = page.getByTestId(`approval-item-${other}-supervisor-review`);
  await expect(item).toBeVisible({ timeout: 15_000 });
  await expect(item).toContainText(doc.name);
  await item.getByTestId(`approval-${other}-supervisor-review-reject`).click();
  await waitForStatus(request, other, ["succeeded", "failed"]);
  await expect(item).toHaveCount(0, { timeout: 15_000 });
  const rejected = (await (await request.get(`/api/runs/${other}`)).json()) as { nodes: Record<string, { port?: string }> };
  expect(rejected.nodes["supervisor-review"].port).toBe("rejected");
});

test("forking from a checkpoint in the run view starts a new run linked to its parent", async ({ page, request }) => {
  const id = await createWorkflow(request, delayChain(unique("Live fork"), 3, 50));
  const parent = await startRun(request, id);
  await waitForStatus(request, parent, ["succeeded"]);
  await page.goto(`/runs/${parent}`);
  await page.getByTestId("tab-time-travel").click();
  const tt = page.getByTestId("time-travel");
  await expect(tt).toBeVisible();
  const count = Number(await tt.getAttribute("data-count"));
  expect(count).toBeGreaterThan(4);
  // The checkpoint after d1 ran: the canvas shows it as "just ran" and d2 as next.
  await page.getByTestId("tt-slider").fill("3");
  await expect(page.getByTestId("tt-ran")).toHaveText("Wait 1");
  await expect(page.getByTestId("tt-next")).toHaveText("Wait 2");
  await expect(page.getByTestId("run-canvas")).not.toHaveAttribute("data-checkpoint", "");
  await page.getByTestId("tt-fork").click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${parent}$`));
  const child = page.url().split("/runs/")[1];
  await expect(page.getByTestId("run-parent-link")).toHaveText(parent);
  await waitForStatus(request, child, ["succeeded"]);
  const started = ((await (await request.get(`/api/runs/${child}/events`)).json()) as { events: { type: string; nodeId?: string }[] }).events
    .filter((e) => e.type === "node.started")
    .map((e) => e.nodeId);
  expect(started).toEqual(["d2", "d3", "out"]);
  await page.getByTestId("run-parent-link").click();
  await expect(page.getByTestId(`run-fork-${child}`)).toBeVisible();
});
