import { recordAudit } from "@/lib/server/audit";
import { UseLinkBodySchema } from "@/lib/contracts";
import { clientIp, describeLink, useLink } from "@/lib/auth";
import { publicRoute } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { withCookies, workspaceCookie } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/access-links/:token → { kind, workspaceName, role, email, expiresAt }; 410 LINK_EXPIRED for expired, used or unknown links. */
export const GET = publicRoute<{ token: string }>(async (_request, { params, db }) => json(await describeLink(db, params.token)));

/**
 * POST /api/access-links/:token → 200. Invite: { email, name?, password } creates the account and signs in (or, signed in, joins);
 * reset: { password } sets a new password (then sign in).
 */
export const POST = publicRoute<{ token: string }>(async (request, { caller, params, db }) => {
  const body = parseInput(UseLinkBodySchema, await readJsonBody(request, 16 * 1024));
  const result = await useLink(db, params.token, body, request.headers, caller?.via === "session" ? caller : null);
  await recordAudit({
    workspaceId: result.workspaceId,
    action: result.kind === "reset" ? "auth.password_changed" : "member.joined",
    actor: { id: result.userId, ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") ?? undefined },
    target: { type: "user", id: result.userId },
    detail: { via: result.kind === "reset" ? "access reset link" : "invitation" },
  });
  return json(
    { userId: result.userId, workspaceId: result.workspaceId },
    { headers: withCookies(result.headers, workspaceCookie(request, result.workspaceId)) },
  );
});
