import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";

/**
 * A credential's secret never reaches the browser: create a bearer credential on Settings →
 * Credentials, pick it on an HTTP request node in the inspector, run the workflow against a loopback
 * server that echoes the Authorization header back, open the run, and check every HTTP response body
 * and every WebSocket frame the page received: the secret is in none of them (the echo shows "••••").
 */

const SECRET = `e2e-SECRET-${Date.now().toString(36)}-7c1f9a`;
const unique = (base: string) => `${base} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

let echo: Server;
let echoUrl = "";
const seenAuth: string[] = [];
test.beforeAll(async () => {
  echo = createServer((req, res) => {
    seenAuth.push(req.headers.authorization ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ youSent: req.headers.authorization ?? null }));
  });
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/echo`;
});
test.afterAll(() => new Promise<void>((r) => echo.close(() => r())));

test("a credential made in the UI is used by an HTTP node and its secret appears in no response the browser got", async ({ page, request }) => {
  const received: { url: string; body: string }[] = [];
  page.on("response", async (res) => {
    const body = await res.text().catch(() => ""); // redirects and aborted streams have no body
    received.push({ url: res.url(), body });
  });
  const frames: string[] = [];
  page.on("websocket", (ws) => ws.on("framereceived", (f) => frames.push(typeof f.payload === "string" ? f.payload : f.payload.toString("utf8"))));

  // Create the credential in the UI; bad input gets a visible error first.
  const credName = unique("Echo token");
  await page.goto("/settings/credentials");
  await page.getByTestId("credential-new").click();
  await page.getByTestId("credential-name").fill(credName);
  await page.getByTestId("credential-type").selectOption("http-bearer");
  await page.getByTestId("credential-save").click();
  await expect(page.getByTestId("credential-error-secret")).toContainText("secret");
  await page.getByTestId("credential-secret").fill(SECRET);
  await page.getByTestId("credential-save").click();
  const row = page.locator(`[data-testid="credential-row"][data-name="${credName}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(SECRET.slice(-4)); // the hint, and nothing more
  await expect(page.getByTestId("credential-secret")).toHaveCount(0);

  // A workflow with an HTTP request node against the echo server.
  const created = await request.post("/api/workflows", {
    data: {
      document: {
        schemaVersion: 2,
        name: unique("Credential e2e"),
        nodes: [
          { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
          { id: "call", kind: "http-request", label: "Call echo", position: { x: 320, y: 0 }, config: { url: echoUrl, allowedHosts: ["127.0.0.1"] } },
          { id: "out", kind: "output", label: "Output", position: { x: 640, y: 0 }, config: { value: "" } },
        ],
        edges: [
          { id: "e1", source: "start", target: "call" },
          { id: "e2", source: "call", target: "out" },
        ],
      },
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  // Pick the credential in the inspector (by name; "Server default" is the other choice) and save.
  await page.goto(`/workflows/${encodeURIComponent(id)}`);
  await page.getByTestId("node-call").click();
  await expect(page.getByTestId("inspector-node-call")).toBeVisible();
  const picker = page.getByTestId("field-auth.credentialId");
  await expect(picker.locator("option", { hasText: "Server default" })).toHaveCount(1);
  await picker.selectOption({ label: `${credName} (HTTP bearer token)` });
  await page.getByTestId("toolbar-save").click();
  await expect(page.getByTestId("saved-marker")).toBeVisible();

  // Run it from the editor and open the run.
  await page.getByTestId("run-button").click();
  await page.getByTestId("run-submit").click();
  const bar = page.getByTestId("run-bar");
  await expect(bar).toHaveAttribute("data-run-status", "succeeded", { timeout: 30_000 });
  const runId = (await bar.getAttribute("data-run-id"))!;
  expect(seenAuth.at(-1)).toBe(`Bearer ${SECRET}`); // the server did send it
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("run-timeline")).toBeVisible();
  await page.goto("/settings/credentials");
  await expect(row).toBeVisible();
  await page.waitForLoadState("networkidle");

  // The run's events reached the browser, masked.
  const everything = [...received.map((r) => r.body), ...frames].join("\n");
  expect(everything).toContain("Bearer ••••");
  const leaks = received.filter((r) => r.body.includes(SECRET)).map((r) => r.url);
  expect(leaks).toEqual([]);
  expect(frames.filter((f) => f.includes(SECRET))).toEqual([]);
  // And an export carries the credential's name, never its secret.
  const exported = await (await request.get(`/api/workflows/${encodeURIComponent(id)}/export`)).text();
  expect(exported).toContain(credName);
  expect(exported).not.toContain(SECRET);
});

test("importing a file that names an unknown credential asks to map it, and the mapping is saved", async ({ page, request }) => {
  const credName = unique("Mapped token");
  const made = await request.post("/api/credentials", { data: { name: credName, type: "http-bearer", secret: `${SECRET}-mapped` } });
  expect(made.status()).toBe(201);
  const { id: credentialId } = (await made.json()) as { id: string };
  const name = unique("Imported with credential");
  const file = {
    schemaVersion: 2,
    name,
    nodes: [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
      {
        id: "call",
        kind: "http-request",
        label: "Call",
        position: { x: 320, y: 0 },
        config: { url: echoUrl, allowedHosts: ["127.0.0.1"], auth: { credentialName: "From another server" } },
      },
    ],
    edges: [{ id: "e1", source: "start", target: "call" }],
  };

  await page.goto("/");
  await expect(page.getByTestId("workflows-page")).toBeVisible();
  await page.getByTestId("import-button").click();
  await page.getByTestId("import-paste").fill(JSON.stringify(file));
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-credentials")).toContainText("From another server");
  await page.getByTestId("import-credential-From another server").selectOption({ label: `${credName} (HTTP bearer token)` });
  await page.getByTestId("import-continue").click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  const id = decodeURIComponent(page.url().split("/workflows/")[1]);
  const saved = (await (await request.get(`/api/workflows/${encodeURIComponent(id)}`)).json()) as {
    document: { nodes: { id: string; config: Record<string, unknown> }[] };
  };
  expect(saved.document.nodes.find((n) => n.id === "call")?.config.auth).toEqual({ credentialId });
  // The inspector shows the mapped credential by name.
  await page.getByTestId("node-call").click();
  await expect(page.getByTestId("field-auth.credentialId").locator("option:checked")).toHaveText(`${credName} (HTTP bearer token)`);
});
