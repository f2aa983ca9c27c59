import "server-only";
import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "@better-auth/prisma-adapter";
import type { Database } from "@/lib/db/client";
import { getOrCreateServerSetting } from "@/lib/db/accounts";
import { PASSWORD_MAX, PASSWORD_MIN } from "@/lib/contracts";
import { CLIENT_IP_HEADER } from "./client-ip";

/**
 * better-auth does what it is good at here: users, password hashing (scrypt), sessions in signed
 * httpOnly SameSite=Lax cookies, change password. Its HTTP handler is NOT mounted: our few routes
 * (app/api/auth/*, app/api/setup, app/api/access-links) call `auth.api.*` on the server, so no endpoint
 * exists that we did not decide to expose, and every one goes through our rate limits and audit log.
 */
function createAuth(db: Database, secret: string, secure: boolean) {
  return betterAuth({
    appName: "Aura Studio",
    secret,
    // Only used for absolute URLs better-auth builds itself (none of the flows we expose need one).
    baseURL: process.env.AURA_PUBLIC_URL || "http://localhost",
    database: prismaAdapter(db.prisma, { provider: db.provider }),
    emailAndPassword: { enabled: true, minPasswordLength: PASSWORD_MIN, maxPasswordLength: PASSWORD_MAX, autoSignIn: true },
    session: {
      expiresIn: 60 * 60 * 24 * 14,
      updateAge: 60 * 60 * 24,
      // A short signed cache saves one session query per request; a removed member is out within 30 s.
      cookieCache: { enabled: true, maxAge: 30 },
    },
    // Our sign-in limiter (lib/auth/sign-in-limiter.ts) counts per account and per address.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: {
      useSecureCookies: secure,
      cookiePrefix: "aura",
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    logger: { level: "error" },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const SECRET_KEY = "auth.secret";

/** The session-signing secret: AURA_AUTH_SECRET, else one generated once and kept in the database (every process shares it). */
async function authSecret(db: Database): Promise<string> {
  const fromEnv = process.env.AURA_AUTH_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("AURA_AUTH_SECRET must have at least 32 characters.");
    return fromEnv;
  }
  return getOrCreateServerSetting(db, SECRET_KEY, () => randomBytes(32).toString("base64url"));
}

// One instance per database and cookie mode (tests swap databases; HTTPS requests get Secure cookies).
const instances = new WeakMap<Database, Map<boolean, Promise<Auth>>>();

/** The better-auth instance for `db`; `secure` when the request came over HTTPS (Secure, __Secure- cookies). */
export function getAuth(db: Database, secure: boolean): Promise<Auth> {
  let byMode = instances.get(db);
  if (!byMode) instances.set(db, (byMode = new Map<boolean, Promise<Auth>>()));
  let auth = byMode.get(secure);
  if (!auth) {
    auth = authSecret(db).then((secret) => createAuth(db, secret, secure));
    byMode.set(secure, auth);
    auth.catch(() => byMode.delete(secure));
  }
  return auth;
}
