import { expect, test, type Page } from "@playwright/test";

/**
 * Security headers and the Content-Security-Policy against the production server: every page loads
 * and works (canvas, web workers, Socket.IO) with no CSP violation; pages, API answers and static
 * files carry the headers; script in a label renders as text; the API refuses form content types and
 * wrong methods; the audit page lists what happened.
 */

const EVIL_LABEL = `<img src=x onerror="window.__xss=1">`;
const EVIL_NAME = `<script>window.__xss=2</script> e2e ${Date.now().toString(36)}`;

/** Records CSP violations (the DOM event) and console errors from the first script of every page. */
async function watchViolations(page: Page): Promise<{ console: string[]; page: () => Promise<string[]> }> {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  const messages: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) messages.push(m.text());
  });
  page.on("pageerror", (err) => messages.push(`pageerror: ${err.message}`));
  return { console: messages, page: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []) };
}

test.describe("security headers and CSP", () => {
  test("every page works under the CSP with no violation; script in labels stays text", async ({ page, request }) => {
    const doc = {
      schemaVersion: 2,
      name: EVIL_NAME,
      nodes: [
        { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: {} },
        { id: "evil", kind: "template", label: EVIL_LABEL, position: { x: 260, y: 0 }, config: { template: "hi" } },
        { id: "output", kind: "output", label: "Output", position: { x: 520, y: 0 }, config: { value: "{{evil}}" } },
      ],
      edges: [
        { id: "e1", source: "start", target: "evil" },
        { id: "e2", source: "evil", target: "output" },
      ],
    };
    const created = await request.post("/api/workflows", { data: { document: doc } });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const started = await request.post(`/api/workflows/${id}/runs?wait=20`, { data: { input: {} } });
    expect(started.status(), await started.text()).toBe(200);
    const { runId } = (await started.json()) as { runId: string };

    const v = await watchViolations(page);
    for (const [path, testId] of [
      ["/", "workflows-page"],
      ["/runs", null],
      ["/approvals", null],
      ["/settings/audit", "audit-page"],
      [`/runs/${runId}`, null],
      [`/workflows/${id}`, "editor"],
    ] as const) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      if (testId) await expect(page.getByTestId(testId)).toBeVisible();
      await page.waitForLoadState("networkidle");
      expect(await v.page(), `CSP violations on ${path}`).toEqual([]);
    }

    // The editor (last page) drew the label as text: no <img> was made from it and nothing ran.
    await expect(page.getByTestId("node-label-evil")).toHaveText(EVIL_LABEL);
    expect(await page.locator('[data-testid="node-evil"] img').count()).toBe(0);
    // The topology overlay's analysis runs in a web worker (worker-src 'self').
    await page.getByTestId("canvas").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("t");
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await v.page()).toEqual([]);
    expect(v.console).toEqual([]);

    // The workflows list shows the name as text too.
    await page.goto("/");
    await expect(page.getByText(EVIL_NAME, { exact: true }).first()).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(v.console).toEqual([]);
  });

  test("headers on a page, an API answer, a static asset and a public file", async ({ request }) => {
    const shared = (h: Record<string, string>) => {
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(h["x-frame-options"]).toBe("DENY");
      expect(h["permissions-policy"]).toContain("camera=()");
      expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    };
    const pageRes = await request.get("/");
    const page = pageRes.headers();
    shared(page);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(page["content-security-policy"])?.[1];
    expect(nonce).toBeTruthy();
    expect(page["content-security-policy"]).not.toContain("unsafe-inline' 'nonce"); // scripts: no unsafe-inline
    expect(page["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'(;|$)/);
    const html = await pageRes.text();
    // Every script tag of the page carries this response's nonce.
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    // A fresh nonce per response.
    const again = (await request.get("/")).headers()["content-security-policy"];
    expect(again).not.toContain(nonce!);

    const api = (await request.get("/api/health")).headers();
    shared(api);
    expect(api["content-security-policy"]).toContain("default-src 'none'");

    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const assetRes = await request.get(asset!);
    expect(assetRes.status()).toBe(200);
    shared(assetRes.headers());

    const icon = await request.get("/favicon.svg");
    expect(icon.status()).toBe(200);
    shared(icon.headers());
  });

  test("the API refuses form content types (415) and wrong methods (405)", async ({ request }) => {
    const form = await request.post("/api/workflows", { headers: { "content-type": "text/plain" }, data: '{"name":"form"}' });
    expect(form.status()).toBe(415);
    expect((await form.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const patch = await request.fetch("/api/workflows", { method: "PATCH", data: { name: "x" } });
    expect(patch.status()).toBe(405);
    const traversal = await request.get("/api/workflows/..%2f..%2fetc");
    expect([400, 404]).toContain(traversal.status());
  });

  test("the audit page lists entries, filters by action and loads more", async ({ page, request }) => {
    for (let i = 0; i < 52; i++) expect((await request.post("/api/workflows", { data: { name: `Audit e2e ${i}` } })).status()).toBe(201);
    await page.goto("/settings/audit");
    await expect(page.getByTestId("audit-table")).toBeVisible();
    await page.getByTestId("audit-filter-action").selectOption("workflow.created");
    await expect(page.getByTestId("audit-row")).toHaveCount(50);
    for (const cell of await page.getByTestId("audit-action").allTextContents()) expect(cell).toBe("workflow.created");
    await page.getByTestId("audit-load-more").click();
    await expect.poll(() => page.getByTestId("audit-row").count()).toBeGreaterThan(50);
    // Another filter shows only its own action (other specs may have answered approvals, or none).
    await page.getByTestId("audit-filter-action").selectOption("approval.answered");
    await expect(page.getByTestId("audit-empty").or(page.getByTestId("audit-row").first())).toBeVisible();
    await expect.poll(async () => (await page.getByTestId("audit-action").allTextContents()).every((cell) => cell === "approval.answered")).toBe(true);
  });
});
