import "server-only";
import type { z } from "zod";
import { isAPIError } from "better-auth/api";
import type { Database } from "@/lib/db/client";
import * as accounts from "@/lib/db/accounts";
import type { ChangePasswordBodySchema, SignInBodySchema } from "@/lib/contracts";
import { getAuth } from "./better-auth";
import { isSecureRequest, workspacesOf, type Caller } from "./caller";
import { clientIp } from "./client-ip";
import { AuthError, AuthErrorCode } from "./errors";
import { processSingleton } from "@/lib/process-singleton";
import { createSignInLimiter } from "./sign-in-limiter";

const limiter = () => processSingleton("auth.sign-in-limiter", () => createSignInLimiter());

const WRONG = "The email or password is wrong.";

/** Signs in with email and password; returns the Set-Cookie headers of the new session. */
export async function signIn(
  db: Database,
  body: z.infer<typeof SignInBodySchema>,
  headers: Headers,
): Promise<{ userId: string; workspaceId: string; headers: Headers }> {
  const ip = clientIp(headers);
  const wait = limiter().retryAfter(body.email, ip);
  if (wait > 0) throw new AuthError(AuthErrorCode.RATE_LIMITED, `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`, wait);
  const auth = await getAuth(db, isSecureRequest(headers));
  try {
    const result = await auth.api.signInEmail({ body: { email: body.email, password: body.password }, headers, returnHeaders: true });
    const userId = result.response.user.id;
    const workspaces = await workspacesOf(db, userId);
    if (workspaces.length === 0) {
      await accounts.deleteSessionsOfUser(db, userId);
      throw new AuthError(AuthErrorCode.FORBIDDEN, "This account is not a member of any workspace any more. Ask an admin for an invitation.");
    }
    limiter().succeed(body.email);
    return { userId, workspaceId: workspaces[0].id, headers: result.headers };
  } catch (error) {
    if (isAPIError(error)) {
      limiter().fail(body.email, ip);
      throw new AuthError(AuthErrorCode.INVALID_CREDENTIALS, WRONG);
    }
    throw error;
  }
}

/** Ends the session of the request; returns the headers that clear its cookies. */
export async function signOut(db: Database, headers: Headers): Promise<Headers> {
  const auth = await getAuth(db, isSecureRequest(headers));
  const result = await auth.api.signOut({ headers, returnHeaders: true });
  return result.headers;
}

/** Changes the caller's password (the current one is checked) and ends their other sessions. */
export async function changePassword(db: Database, caller: Caller, body: z.infer<typeof ChangePasswordBodySchema>, headers: Headers): Promise<Headers> {
  if (caller.via !== "session") throw new AuthError(AuthErrorCode.FORBIDDEN, "Change your password from a signed-in browser, not with an API token.");
  const auth = await getAuth(db, isSecureRequest(headers));
  try {
    const result = await auth.api.changePassword({
      body: { currentPassword: body.currentPassword, newPassword: body.newPassword, revokeOtherSessions: true },
      headers,
      returnHeaders: true,
    });
    return result.headers;
  } catch (error) {
    if (isAPIError(error)) throw new AuthError(AuthErrorCode.INVALID_CREDENTIALS, "The current password is wrong.");
    throw error;
  }
}

/** Sets a user's password without the old one (an access-reset link); ends all their sessions. */
export async function setPasswordOf(db: Database, userId: string, password: string): Promise<void> {
  const auth = await getAuth(db, false);
  const ctx = await auth.$context;
  const hash = await ctx.password.hash(password);
  await ctx.internalAdapter.updatePassword(userId, hash);
  await accounts.deleteSessionsOfUser(db, userId);
}

/** The first workspace of the account with this email (where its failed sign-ins are audited), or null. */
export async function workspaceOfEmail(db: Database, email: string): Promise<string | null> {
  const user = await accounts.findUserByEmail(db, email);
  return user ? ((await workspacesOf(db, user.id))[0]?.id ?? null) : null;
}
