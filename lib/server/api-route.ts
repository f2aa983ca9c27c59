import "server-only";
import type { Role } from "@/lib/contracts";
import { getDatabase } from "@/lib/db/database";
import type { Database } from "@/lib/db/client";
import { AuthError, AuthErrorCode, bearerToken, isSetupPending, resolveCaller, roleAtLeast, type Caller } from "@/lib/auth";
import { checkCrossOrigin } from "@/lib/auth/csrf";
import { idParam, toErrorResponse } from "./http";
import { withScope } from "./request-scope";

/**
 * THE place every API request is authorized. A route declares the least role it needs; the wrapper
 * resolves the caller (session cookie or bearer token), refuses cross-site cookie changes, checks
 * the role, then runs the handler inside the caller's workspace scope (use-cases read the workspace
 * from it, so another workspace's ids are simply not found). Errors become JSON error responses.
 */
export type Access = Role | "public";

/** The rule a route handler was declared with (the authorization matrix test reads it). */
export const ROUTE_RULE = Symbol.for("aura.route-rule");

type Context<P> = { params: Promise<P> };

/**
 * Every path parameter of a member route is an id: anything outside the id alphabet (`..`, NUL,
 * `%2e`…) is "not found" before a handler sees it. A version number is the handler's to check (400).
 * Public routes check their own (a webhook answers 403 to anything it does not know: no probing).
 */
async function checkedParams<P>(context: Context<P> | undefined, check: boolean): Promise<P> {
  const params = ((await context?.params) ?? {}) as Record<string, string>;
  if (check) for (const [name, value] of Object.entries(params)) if (name !== "version") idParam(value, name === "id" ? "Record" : name);
  return params as P;
}
type Handler<P> = ((request: Request, context?: Context<P>) => Promise<Response>) & { [ROUTE_RULE]: Access };

/** Origins allowed to change things with this site's cookies although they are another site (AURA_PUBLIC_URL behind a proxy that rewrites Host). */
const trustedOrigins = () => (process.env.AURA_PUBLIC_URL ? [new URL(process.env.AURA_PUBLIC_URL).origin] : []);

function refuseCrossSite(request: Request): void {
  const verdict = checkCrossOrigin(request, { trustedOrigins: trustedOrigins() });
  if (!verdict.ok) throw new AuthError(AuthErrorCode.CROSS_ORIGIN, verdict.message);
}

async function authenticate(request: Request, db: Database): Promise<Caller> {
  const caller = await resolveCaller(db, request.headers);
  if (caller) return caller;
  if (await isSetupPending(db)) throw new AuthError(AuthErrorCode.SETUP_PENDING, "Setup pending: the owner account does not exist yet. Open /setup.");
  throw new AuthError(
    AuthErrorCode.UNAUTHENTICATED,
    bearerToken(request.headers) !== null || request.headers.has("authorization")
      ? "The API token is invalid, expired or revoked (send Authorization: Bearer <token>)."
      : "Sign in first: a session cookie or an Authorization: Bearer <token> header.",
  );
}

const scopeOf = (caller: Caller) => ({
  workspaceId: caller.workspaceId,
  actor: { id: caller.userId, email: caller.email, ip: caller.ip, userAgent: caller.userAgent, via: caller.via },
});

/** A route for members with at least `role` in their current workspace. */
export function route<P = Record<string, never>>(
  role: Role,
  fn: (request: Request, ctx: { caller: Caller; params: P; db: Database }) => Promise<Response>,
): Handler<P> {
  const handler = async (request: Request, context?: Context<P>) => {
    try {
      const db = await getDatabase();
      const caller = await authenticate(request, db);
      // Cookies ride along on cross-site requests; bearer tokens never do.
      if (caller.via === "session") refuseCrossSite(request);
      if (!roleAtLeast(caller.role, role)) {
        throw new AuthError(AuthErrorCode.FORBIDDEN, `This needs the ${role} role; you are ${caller.role} in this workspace.`);
      }
      const params = await checkedParams(context, true);
      return await withScope(scopeOf(caller), () => fn(request, { caller, params, db }));
    } catch (error) {
      return toErrorResponse(error);
    }
  };
  return Object.assign(handler, { [ROUTE_RULE]: role });
}

/**
 * A route anyone may call (health, sign-in, setup, invitation links, webhooks with their own secret).
 * The caller is resolved when there is one; cookie-authenticated changes are still checked for CSRF.
 */
export function publicRoute<P = Record<string, never>>(
  fn: (request: Request, ctx: { caller: Caller | null; params: P; db: Database }) => Promise<Response>,
): Handler<P> {
  const handler = async (request: Request, context?: Context<P>) => {
    try {
      if (request.headers.has("cookie")) refuseCrossSite(request);
      const params = await checkedParams(context, false);
      const db = await getDatabase();
      const caller = await resolveCaller(db, request.headers).catch(() => null);
      const run = () => fn(request, { caller, params, db });
      return await (caller ? withScope(scopeOf(caller), run) : run());
    } catch (error) {
      return toErrorResponse(error);
    }
  };
  const rule: Access = "public";
  return Object.assign(handler, { [ROUTE_RULE]: rule });
}
