import { defineConfig, devices } from "@playwright/test";
import { OWNER_EMAIL, OWNER_PASSWORD, OWNER_STATE, OWNER_TOKEN } from "./e2e/auth-fixtures";

/**
 * e2e tests run in Debian's Chromium against the production build (`npm run build` first),
 * served by the real custom server on its own port with a throwaway SQLite database.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const dbFile = `./data/e2e-${port}.db`;

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/e2e.json" }]] : [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
      ],
    },
  },
  // "setup" signs in as the owner once (e2e/auth.setup.ts); every spec then starts signed in.
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    { name: "chromium", dependencies: ["setup"], testIgnore: /auth\.setup\.ts$/, use: { storageState: OWNER_STATE } },
  ],
  webServer: {
    // Started exactly as the README tells a new user (`npm start`, NODE_ENV unset): e2e/production-start
    // checks that this serves the production build.
    command: `rm -f ${dbFile} && env -u NODE_ENV npm start`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${dbFile}`,
      NEXT_TELEMETRY_DISABLED: "1",
      // The owner exists from the first request (no setup page), with an API token for scripts: e2e/auth-fixtures.ts.
      AURA_OWNER_EMAIL: OWNER_EMAIL,
      AURA_OWNER_PASSWORD: OWNER_PASSWORD,
      AURA_BOOTSTRAP_TOKEN: OWNER_TOKEN,
      // e2e specs call loopback echo servers from HTTP request nodes (the SSRF guard refuses them otherwise).
      AURA_HTTP_ALLOW_PRIVATE: "1",
    },
    stdout: "pipe",
    stderr: "pipe",
  },
});
