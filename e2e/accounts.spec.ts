import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { OWNER_EMAIL, OWNER_PASSWORD, ownerAuth } from "./auth-fixtures";

/**
 * Accounts in the browser against the production server, whose owner and owner API token come from
 * the environment (playwright.config.ts): sign-in and its errors, an invitation link that makes a
 * viewer who cannot edit (the UI hides Save/Run, the API answers 403), an API token made in the UI
 * that starts a run, sign-out. Every page here starts signed out, in its own browser context.
 */

// Whatever signed-in state or default Authorization header other specs use, these tests begin with none.
const signedOut = { storageState: { cookies: [], origins: [] }, extraHTTPHeaders: {} };
test.use(signedOut);
test.describe.configure({ mode: "serial" });

const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const viewer = { email: `viewer-${suffix}@aura.test`, name: "Vera Viewer", password: "viewer-password-42" };

async function signIn(page: Page, email: string, password: string, next?: string) {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext(signedOut);
  return context.newPage();
}

async function createWorkflow(request: APIRequestContext, name: string): Promise<string> {
  const res = await request.post("/api/workflows", { data: { name }, headers: ownerAuth });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

let workflowId = "";

test.beforeAll(async ({ request }) => {
  workflowId = await createWorkflow(request, `Accounts e2e ${suffix}`);
});

test("a visitor is sent to the sign-in page, and a wrong password says so", async ({ page }) => {
  await page.goto(`/workflows/${workflowId}`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fworkflows%2F/);
  // The open page shows no workspace switcher or account menu.
  await expect(page.getByTestId("workspace-switcher")).toHaveCount(0);
  await expect(page.getByTestId("user-menu")).toHaveCount(0);

  await page.getByLabel("Email", { exact: true }).fill(OWNER_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toContainText(/wrong/i);
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an unsafe next is not followed: signing in lands on /", async ({ page }) => {
  await signIn(page, OWNER_EMAIL, OWNER_PASSWORD, "//example.com/phish");
  await expect(page.getByTestId("workflows-page")).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/");
  expect(new URL(page.url()).host).toMatch(/^127\.0\.0\.1:/);
});

test("the owner invites a viewer, who can read but neither edit nor run", async ({ page, browser }) => {
  await signIn(page, OWNER_EMAIL, OWNER_PASSWORD, "/settings/invitations");
  await expect(page).toHaveURL(/\/settings\/invitations$/);
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await expect(page.getByTestId("workspace-switcher")).toBeVisible();

  await page.getByLabel("Invite as").selectOption("viewer");
  await page.getByTestId("invitation-create").click();
  const secret = page.getByTestId("one-time-secret");
  await expect(secret).toContainText("you will not see it again");
  const link = await page.getByTestId("one-time-secret-value").inputValue();
  expect(link).toMatch(/\/invite\/[^/]+$/);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("invitation-row")).not.toHaveCount(0);

  // The invited person, in a browser of their own.
  const guest = await newPage(browser);
  await guest.goto(new URL(link).pathname);
  await expect(guest.getByTestId("invite-summary")).toContainText("viewer");
  await guest.getByLabel("Email", { exact: true }).fill(viewer.email);
  await guest.getByLabel("Name", { exact: true }).fill(viewer.name);
  await guest.getByLabel("Password", { exact: true }).fill(viewer.password);
  await guest.getByTestId("invite-create-account").click();
  await expect(guest.getByTestId("workflows-page")).toBeVisible();
  expect(new URL(guest.url()).pathname).toBe("/");

  // The list offers no create or import; the editor no Save or Run (once the role is known: the badge).
  await expect(guest.getByTestId("read-only-badge")).toBeVisible();
  await expect(guest.getByTestId("new-workflow-button")).toHaveCount(0);
  await expect(guest.getByTestId("import-button")).toHaveCount(0);
  await guest.goto(`/workflows/${workflowId}`);
  await expect(guest.getByTestId("toolbar").getByTestId("read-only-badge")).toHaveAttribute("title", "Viewers can't edit");
  await expect(guest.getByTestId("toolbar-save")).toHaveCount(0);
  await expect(guest.getByTestId("run-button")).toHaveCount(0);

  // The server refuses the viewer's writes whatever the UI shows (same cookies as the page).
  const put = await guest.request.put(`/api/workflows/${workflowId}`, { data: { name: "renamed by a viewer" } });
  expect(put.status(), await put.text()).toBe(403);
  const run = await guest.request.post(`/api/workflows/${workflowId}/runs`, { data: { input: { input: "x" } } });
  expect(run.status(), await run.text()).toBe(403);

  // The owner sees the new member.
  await page.goto("/settings/members");
  await expect(page.getByTestId("member-row").filter({ hasText: viewer.email })).toBeVisible();

  // A used link is spent.
  const again = await newPage(browser);
  await again.goto(new URL(link).pathname);
  await expect(again.getByTestId("link-expired")).toBeVisible();
  await guest.context().close();
  await again.context().close();
});

test("an API token made in the settings starts a run with Authorization: Bearer", async ({ page, request }) => {
  await signIn(page, OWNER_EMAIL, OWNER_PASSWORD, "/settings/tokens");
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  const name = `CI ${suffix}`;
  await page.getByLabel("Token name").fill(name);
  await page.getByLabel("Token role").selectOption("editor");
  await page.getByTestId("token-create").click();
  await expect(page.getByTestId("one-time-secret")).toContainText("you will not see it again");
  const token = await page.getByTestId("one-time-secret-value").inputValue();
  expect(token.length).toBeGreaterThanOrEqual(32);
  await expect(page.getByTestId("token-row").filter({ hasText: name })).toContainText("editor");

  const started = await request.post(`/api/workflows/${workflowId}/runs`, {
    headers: { authorization: `Bearer ${token}` },
    data: { input: { input: "hello from a token" } }, // the new workflow's Start field
  });
  expect(started.status(), await started.text()).toBe(202);
  // The same request without the token is refused.
  const anonymous = await request.post(`/api/workflows/${workflowId}/runs`, { data: { input: { input: "x" } } });
  expect(anonymous.status()).toBe(401);
});

test("signing out ends the session: the app sends the browser to the sign-in page", async ({ page }) => {
  await signIn(page, OWNER_EMAIL, OWNER_PASSWORD);
  await expect(page.getByTestId("workflows-page")).toBeVisible();
  await page.getByTestId("user-menu").click();
  await expect(page.getByTestId("user-email")).toHaveText(OWNER_EMAIL);
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  const session = await page.request.get("/api/auth/session");
  expect(session.status()).toBe(401);
});

test("an admin resets a member's access: the link sets a new password, the old one stops working", async ({ page, browser }) => {
  await signIn(page, OWNER_EMAIL, OWNER_PASSWORD, "/settings/members");
  await page.getByRole("button", { name: `Reset access of ${viewer.email}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Reset access" }).click();
  await expect(page.getByTestId("one-time-secret")).toContainText(`Reset link for ${viewer.email}`);
  const link = await page.getByTestId("one-time-secret-value").inputValue();
  expect(link).toMatch(/\/reset\/[^/]+$/);

  const member = await newPage(browser);
  await member.goto(new URL(link).pathname);
  await member.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
  await member.getByLabel("Repeat the new password").fill("a-brand-new-password");
  await member.getByTestId("reset-submit").click();
  await expect(member).toHaveURL(/\/sign-in$/);

  await signIn(member, viewer.email, viewer.password);
  await expect(member.getByTestId("form-error")).toContainText(/wrong/i);
  await signIn(member, viewer.email, "a-brand-new-password");
  await expect(member.getByTestId("workflows-page")).toBeVisible();
  await member.getByTestId("user-menu").click();
  await expect(member.getByTestId("user-menu-panel").getByTestId("role-badge")).toHaveText("viewer");
  await member.context().close();
});

test("the header creates a workspace, switches to it, and back: each sees only its own workflows", async ({ page }) => {
  await signIn(page, OWNER_EMAIL, OWNER_PASSWORD);
  const shared = page.getByTestId("workflow-row").filter({ hasText: `Accounts e2e ${suffix}` });
  await expect(shared).toBeVisible();

  const name = `Lab ${suffix}`;
  await page.getByTestId("workspace-switcher").click();
  await page.getByTestId("workspace-new").click();
  await page.getByLabel("Workspace name").fill(name);
  await page.getByRole("button", { name: "Create and switch" }).click();
  await expect(page.getByTestId("workspace-switcher")).toHaveText(name);
  await expect(page.getByTestId("workflows-page")).toBeVisible();
  await expect(page.getByTestId("workflows-empty")).toBeVisible();
  await expect(shared).toHaveCount(0);

  await page.getByTestId("workspace-switcher").click();
  const menu = page.getByTestId("workspace-menu");
  await expect(menu.getByRole("menuitemradio", { name: new RegExp(name) })).toHaveAttribute("aria-checked", "true");
  await menu.getByRole("menuitemradio").filter({ hasNotText: name }).first().click();
  await expect(page.getByTestId("workspace-switcher")).not.toHaveText(name);
  await expect(shared).toBeVisible();
});

// The e2e server creates its owner from AURA_OWNER_* at start, so /setup only forwards to the
// sign-in here; the page's rules (safe `next`, error texts) are unit-tested in lib/api/auth-paths.test.ts
// and components/account/error-text.test.ts.
test("the setup page forwards to the sign-in once an owner exists", async ({ page }) => {
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/sign-in$/);
});
