// Accounts through the public routes: sign-in errors and the limiter's 429, sessions in httpOnly
// SameSite=Lax cookies, change password, setup refused once done and without the token from afar,
// a bootstrap token that is too short, tokens that never outrank their user, cross-site cookie writes.
import { describe, expect, it } from "vitest";
import { TEST_OWNER, body, req, useTestDatabase } from "@/test/api-harness";
import { cookiesOf, joinAs, tokenFor } from "@/test/members-harness";
import { bootstrapAccounts } from "@/lib/auth/setup";
import { createTestDatabase } from "@/lib/db/testing";
import { setDatabase } from "@/lib/db/database";
import * as signIn from "./auth/sign-in/route";
import * as password from "./auth/password/route";
import * as session from "./auth/session/route";
import * as setup from "./setup/route";
import * as tokens from "./tokens/route";
import * as workflows from "./workflows/route";

const signInReq = (email: string, pw: string, ip = "198.51.100.7") =>
  req("/api/auth/sign-in", { json: { email, password: pw }, token: null, headers: { "x-aura-client-ip": ip } });

describe("accounts API", () => {
  const t = useTestDatabase("sqlite");

  it("signs in with a httpOnly, SameSite=Lax session cookie; a wrong password is 401 with no cookie", async () => {
    const ok = await signIn.POST(signInReq(TEST_OWNER.email, TEST_OWNER.password));
    expect(ok.status).toBe(200);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith("aura.session_token="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/);
    const me = await session.GET(req("/api/auth/session", { token: null, headers: { cookie: cookiesOf(ok) } }));
    expect((await body(me)).user.email).toBe(TEST_OWNER.email);
    const wrong = await signIn.POST(signInReq(TEST_OWNER.email, "not-the-password"));
    expect(wrong.status).toBe(401);
    expect((await body(wrong)).error.code).toBe("INVALID_CREDENTIALS");
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it("over HTTPS (a TLS connection) the cookie is Secure and __Secure- prefixed", async () => {
    const res = await signIn.POST(
      req("/api/auth/sign-in", { json: { email: TEST_OWNER.email, password: TEST_OWNER.password }, token: null, headers: { "x-aura-client-tls": "1" } }),
    );
    expect(res.headers.getSetCookie().some((c) => c.startsWith("__Secure-aura.session_token=") && /;\s*Secure/i.test(c))).toBe(true);
  });

  it("limits failed sign-ins per account with 429 and Retry-After, even with the right password afterwards", async () => {
    const email = "limited@aura.test";
    await joinAs("viewer", email);
    for (let i = 0; i < 5; i++) expect((await signIn.POST(signInReq(email, "wrong-password-x", `203.0.113.${i}`))).status).toBe(401);
    const blocked = await signIn.POST(signInReq(email, "a-long-password-1", "203.0.113.99"));
    expect(blocked.status).toBe(429);
    expect((await body(blocked)).error.code).toBe("RATE_LIMITED");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("changes the password (the old one stops working); a token cannot", async () => {
    const cookie = await joinAs("editor", "changer@aura.test");
    const bad = await password.POST(
      req("/api/auth/password", { json: { currentPassword: "nope-nope-nope", newPassword: "another-long-pass" }, token: null, headers: { cookie } }),
    );
    expect(bad.status).toBe(401);
    const ok = await password.POST(
      req("/api/auth/password", { json: { currentPassword: "a-long-password-1", newPassword: "another-long-pass" }, token: null, headers: { cookie } }),
    );
    expect(ok.status).toBe(200);
    expect((await signIn.POST(signInReq("changer@aura.test", "a-long-password-1", "192.0.2.50"))).status).toBe(401);
    expect((await signIn.POST(signInReq("changer@aura.test", "another-long-pass", "192.0.2.51"))).status).toBe(200);
    const viaToken = await password.POST(req("/api/auth/password", { json: { currentPassword: "x", newPassword: "another-long-pass" } }));
    expect(viaToken.status).toBe(403);
  });

  it("setup is refused once the owner exists, and from afar without the token", async () => {
    const again = await setup.POST(
      req("/api/setup", { json: { email: "second@aura.test", password: "second-long-pass" }, token: null, headers: { "x-aura-client-ip": "127.0.0.1" } }),
    );
    expect(again.status).toBe(409);
    const fresh = await createTestDatabase("sqlite");
    try {
      setDatabase(fresh.db);
      const remote = await setup.POST(
        req("/api/setup", { json: { email: "x@aura.test", password: "remote-long-pass" }, token: null, headers: { "x-aura-client-ip": "203.0.113.5" } }),
      );
      expect(remote.status).toBe(403);
      expect((await body(remote)).error.code).toBe("SETUP_PENDING");
      const anything = await workflows.GET(req("/api/workflows", { token: null }));
      expect((await body(anything)).error.code).toBe("SETUP_PENDING");
    } finally {
      setDatabase(t().db);
      await fresh.drop();
    }
  });

  it("refuses a bootstrap token shorter than 32 characters at start", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AURA_OWNER_EMAIL: "a@aura.test", AURA_OWNER_PASSWORD: "long-enough-pass", AURA_BOOTSTRAP_TOKEN: "short" });
    const fresh = await createTestDatabase("sqlite");
    try {
      await expect(bootstrapAccounts(fresh.db, () => {})).rejects.toThrow(/at least 32 characters/);
    } finally {
      process.env = saved;
      await fresh.drop();
    }
  });

  it("a token never outranks its user, and a viewer's token cannot write", async () => {
    const cookie = await joinAs("viewer", "tv@aura.test");
    const above = await tokens.POST(req("/api/tokens", { json: { name: "too high", role: "editor" }, token: null, headers: { cookie } }));
    expect(above.status).toBe(403);
    const token = await tokenFor(cookie, "mine");
    const write = await workflows.POST(req("/api/workflows", { json: { name: "nope" }, token }));
    expect(write.status).toBe(403);
  });

  it("refuses a cross-site change made with a session cookie, allows the same change from this site", async () => {
    const ok = await signIn.POST(signInReq(TEST_OWNER.email, TEST_OWNER.password, "192.0.2.77"));
    const cookie = cookiesOf(ok);
    const cross = await workflows.POST(
      req("/api/workflows", { json: { name: "csrf" }, token: null, headers: { cookie, "sec-fetch-site": "cross-site", origin: "https://evil.test" } }),
    );
    expect(cross.status).toBe(403);
    expect((await body(cross)).error.code).toBe("CROSS_ORIGIN");
    const same = await workflows.POST(req("/api/workflows", { json: { name: "fine" }, token: null, headers: { cookie, "sec-fetch-site": "same-origin" } }));
    expect(same.status).toBe(201);
  });
});
