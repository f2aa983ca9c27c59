import { recordAudit } from "@/lib/server/audit";
import { SignInBodySchema } from "@/lib/contracts";
import { AuthError, clientIp, signIn, workspaceOfEmail } from "@/lib/auth";
import { publicRoute } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { withCookies } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/auth/sign-in { email, password } → 200 with the session cookie; 401 INVALID_CREDENTIALS; 429 RATE_LIMITED (Retry-After). */
export const POST = publicRoute(async (request, { db }) => {
  const body = parseInput(SignInBodySchema, await readJsonBody(request, 16 * 1024));
  const actor = { email: body.email, ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") ?? undefined };
  try {
    const { userId, workspaceId, headers } = await signIn(db, body, request.headers);
    await recordAudit({ workspaceId, action: "auth.sign_in", actor: { ...actor, id: userId } });
    return json({ userId }, { headers: withCookies(headers) });
  } catch (error) {
    if (error instanceof AuthError) {
      await recordAudit({ workspaceId: await workspaceOfEmail(db, body.email), action: "auth.sign_in_failed", actor, detail: { code: error.code } });
    }
    throw error;
  }
});
