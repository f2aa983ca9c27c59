/**
 * Signs in once as the owner (the account the e2e server creates from AURA_OWNER_EMAIL and
 * AURA_OWNER_PASSWORD) through the public sign-in API, and saves the session cookie for every spec:
 * their pages and their `request` fixture act as a signed-in owner. Specs about signing in use fresh
 * contexts (e2e/accounts.spec.ts).
 */
import { expect, test as setup } from "@playwright/test";
import { OWNER_EMAIL, OWNER_PASSWORD, OWNER_STATE } from "./auth-fixtures";

setup("sign in as the owner", async ({ request }) => {
  const res = await request.post("/api/auth/sign-in", { data: { email: OWNER_EMAIL, password: OWNER_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  expect((await request.get("/api/auth/session")).status()).toBe(200);
  await request.storageState({ path: OWNER_STATE });
});
