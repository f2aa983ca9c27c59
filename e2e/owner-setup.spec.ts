import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { expect, test } from "@playwright/test";

/**
 * A fresh installation, started like `npm start` with nothing set (no AURA_OWNER_*): the first page is
 * the owner setup. A remote client (here: a request through a trusted proxy that says it came from
 * elsewhere) sees "setup pending" unless it brings the token from the server log; a browser on the
 * machine itself creates the owner and is signed in. The main e2e server cannot show this: it starts
 * with an owner from the environment.
 */
const port = Number(process.env.E2E_PORT ?? 3100) + 50;
const base = `http://127.0.0.1:${port}`;
const dbFile = `./data/e2e-setup-${port}.db`;
let server: ChildProcess;
let log = "";

test.beforeAll(async () => {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: `file:${dbFile}`, AURA_TRUST_PROXY: "1" };
  for (const k of ["NODE_ENV", "AURA_OWNER_EMAIL", "AURA_OWNER_PASSWORD", "AURA_BOOTSTRAP_TOKEN"]) delete env[k];
  server = spawn(process.execPath, ["dist/server.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  await expect.poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

test("a fresh installation asks for the owner, only from the machine itself or with the logged token", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: base, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();

  // Nothing is reachable before setup: pages go to /setup, the API says so.
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  const api = await context.request.get("/api/workflows");
  expect(api.status()).toBe(403);
  expect((await api.json()).error.code).toBe("SETUP_PENDING");

  // A client elsewhere (as a trusted proxy reports it) may not create the owner without the token.
  const remote = { "x-forwarded-for": "203.0.113.7" };
  const owner = { email: "first@aura.test", password: "first-owner-password" };
  const refused = await context.request.post("/api/setup", { data: owner, headers: remote });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("SETUP_PENDING");
  expect((await context.request.post("/api/setup", { data: { ...owner, setupToken: "wrong" }, headers: remote })).status()).toBe(403);
  expect(log).toMatch(/owner setup pending.*setup token/i);

  // From this machine the page asks for email and password only; submitting signs the owner in.
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await expect(page.getByLabel("Setup token (printed in the server log)")).toHaveCount(0);
  await page.getByTestId("setup-submit").click();
  await expect(page.getByTestId("workflows-page")).toBeVisible({ timeout: 20_000 });
  const session = await context.request.get("/api/auth/session");
  expect(session.status()).toBe(200);
  expect((await session.json()).workspace.role).toBe("owner");

  // Setup happens once: a second owner is refused, and /setup sends people to sign in.
  const again = await context.request.post("/api/setup", { data: { email: "second@aura.test", password: "second-owner-password" } });
  expect(again.status()).toBe(409);
  const fresh = await browser.newContext({ baseURL: base, storageState: { cookies: [], origins: [] } });
  const other = await fresh.newPage();
  await other.goto("/");
  await expect(other).toHaveURL(/\/sign-in/);
  await fresh.close();
  await context.close();
});
