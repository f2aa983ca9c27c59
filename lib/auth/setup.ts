import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import type { Database } from "@/lib/db/client";
import * as accounts from "@/lib/db/accounts";
import { DEFAULT_WORKSPACE_ID } from "@/lib/db/workspaces";
import { processSlot } from "@/lib/process-singleton";
import { SetupBodySchema, TOKEN_MIN_LENGTH } from "@/lib/contracts";
import { getAuth } from "./better-auth";
import { AuthError, AuthErrorCode } from "./errors";
import { clientIp, isLoopback } from "./client-ip";
import { isSecureRequest } from "./caller";
import { issueToken } from "./tokens";

type SetupBody = z.infer<typeof SetupBodySchema>;

// The one-time setup token of this process, printed in its log while the owner does not exist.
const setupToken = processSlot<string>("auth.setup-token");
const SETUP_LOCK = "owner.setup";

const nameFromEmail = (email: string) => email.split("@")[0].slice(0, 100) || "Owner";

/** True until the owner account exists. */
export const isSetupPending = async (db: Database) => (await accounts.countUsers(db)) === 0;

/** Whether this request may create the owner: it comes from the machine itself, or presents the setup token. */
export function maySetUp(headers: Headers, token: string | undefined): boolean {
  if (isLoopback(clientIp(headers))) return true;
  const expected = setupToken.get();
  if (!expected || !token) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Creates the owner (user + owner of the default workspace); the lock row makes a second concurrent setup fail. */
async function createOwner(db: Database, body: SetupBody, headers: Headers) {
  try {
    await db.prisma.serverSetting.create({ data: { key: SETUP_LOCK, value: body.email } });
  } catch {
    throw new AuthError(AuthErrorCode.SETUP_DONE, "The owner account already exists. Sign in instead.");
  }
  try {
    const auth = await getAuth(db, isSecureRequest(headers));
    const result = await auth.api.signUpEmail({
      body: { email: body.email, password: body.password, name: body.name ?? nameFromEmail(body.email) },
      headers,
      returnHeaders: true,
    });
    await accounts.upsertMembership(db, DEFAULT_WORKSPACE_ID, result.response.user.id, "owner");
    setupToken.set(undefined);
    return { userId: result.response.user.id, workspaceId: DEFAULT_WORKSPACE_ID, headers: result.headers };
  } catch (error) {
    await db.prisma.serverSetting.delete({ where: { key: SETUP_LOCK } }).catch(() => {});
    throw error;
  }
}

/** POST /api/setup: the owner account from the setup page; signs the new owner in (Set-Cookie headers). */
export async function setUpOwner(db: Database, body: SetupBody, headers: Headers) {
  if (!(await isSetupPending(db))) throw new AuthError(AuthErrorCode.SETUP_DONE, "The owner account already exists. Sign in instead.");
  if (!maySetUp(headers, body.setupToken)) {
    throw new AuthError(
      AuthErrorCode.SETUP_PENDING,
      "Setup pending: only a browser on the server's own machine, or one that enters the setup token printed in the server's log, may create the owner account.",
    );
  }
  return createOwner(db, body, headers);
}

/**
 * At start: with AURA_OWNER_EMAIL and AURA_OWNER_PASSWORD on an empty database, creates the owner
 * without the page; AURA_BOOTSTRAP_TOKEN (≥ 32 characters) becomes the owner's API token for the
 * default workspace. Otherwise, while setup is pending, prints a one-time setup token. Throws (the
 * server refuses to start) on a bad variable.
 */
export async function bootstrapAccounts(db: Database, log: (msg: string, fields?: Record<string, unknown>) => void): Promise<void> {
  const email = process.env.AURA_OWNER_EMAIL?.trim();
  const password = process.env.AURA_OWNER_PASSWORD;
  const token = process.env.AURA_BOOTSTRAP_TOKEN;
  if (token !== undefined && token.length < TOKEN_MIN_LENGTH) {
    throw new Error(`AURA_BOOTSTRAP_TOKEN must have at least ${TOKEN_MIN_LENGTH} characters (it has ${token.length}). Use e.g. \`openssl rand -hex 32\`.`);
  }
  if (token && !(email && password)) throw new Error("AURA_BOOTSTRAP_TOKEN needs AURA_OWNER_EMAIL and AURA_OWNER_PASSWORD: the token belongs to the owner.");
  if (!(await isSetupPending(db))) return;
  if (email || password) {
    const parsed = SetupBodySchema.safeParse({ email, password });
    if (!parsed.success) throw new Error(`AURA_OWNER_EMAIL / AURA_OWNER_PASSWORD: ${parsed.error.issues.map((i) => i.message).join(" ")}`);
    try {
      const { userId } = await createOwner(db, parsed.data, new Headers());
      if (token)
        await issueToken(db, { userId, workspaceId: DEFAULT_WORKSPACE_ID, role: "owner", name: "Bootstrap token (AURA_BOOTSTRAP_TOKEN)", secret: token });
      log("owner account created from AURA_OWNER_EMAIL", { email: parsed.data.email, bootstrapToken: !!token });
    } catch (error) {
      // Another process on the same database created it first.
      if (!(error instanceof AuthError && error.code === AuthErrorCode.SETUP_DONE)) throw error;
    }
    return;
  }
  const fresh = randomBytes(18).toString("base64url");
  setupToken.set(fresh);
  log(`owner setup pending: open /setup in a browser on this machine, or enter this setup token from elsewhere: ${fresh}`);
}
