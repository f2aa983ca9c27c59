import { recordAudit } from "@/lib/server/audit";
import { SetupBodySchema } from "@/lib/contracts";
import { isLoopback, clientIp, isSetupPending, setUpOwner } from "@/lib/auth";
import { publicRoute } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { withCookies, workspaceCookie } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/setup → { pending, local }: whether the owner account still has to be created, and whether this client may without the token. */
export const GET = publicRoute(async (request, { db }) => json({ pending: await isSetupPending(db), local: isLoopback(clientIp(request.headers)) }));

/** POST /api/setup { email, password, name?, setupToken? } → 201, signed in as the owner. 403 SETUP_PENDING without the right to set up; 409 when done. */
export const POST = publicRoute(async (request, { db }) => {
  const body = parseInput(SetupBodySchema, await readJsonBody(request, 16 * 1024));
  const { userId, workspaceId, headers } = await setUpOwner(db, body, request.headers);
  await recordAudit({
    workspaceId,
    action: "auth.owner_created",
    actor: { id: userId, email: body.email, ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") ?? undefined },
  });
  return json({ userId, workspaceId }, { status: 201, headers: withCookies(headers, workspaceCookie(request, workspaceId)) });
});
