import { expect, test } from "@playwright/test";

/**
 * The server under test was started the way the README tells a new user: `npm start` with NODE_ENV
 * unset (playwright.config.ts). It must serve the production build: no dev compilation, no HMR socket,
 * no console errors on the first page.
 */
test("npm start serves the production build with a clean console", async ({ page, request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true, mode: "production" });

  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  const hmr: string[] = [];
  page.on("websocket", (ws) => {
    if (ws.url().includes("_next")) hmr.push(ws.url());
  });

  await page.goto("/");
  await expect(page.getByTestId("workflows-page")).toBeVisible();
  // The HTML of a development server carries its HMR client; a production page does not.
  const html = await (await request.get("/")).text();
  expect(html).not.toMatch(/hmr-client|next-devtools|_development_/);
  await page.waitForLoadState("networkidle");
  expect(hmr).toEqual([]);
  expect(problems).toEqual([]);
});
