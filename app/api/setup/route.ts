import { SetupBodySchema } from "@/lib/contracts";
import { isLoopback, clientIp, isSetupPending, setUpOwner } from "@/lib/auth";
import { getDatabase } from "@/lib/db/database";
import { DEFAULT_WORKSPACE_ID } from "@/lib/db/workspaces";
import { publicRoute } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { withCookies, workspaceCookie } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/setup → { pending, local }: whether the owner account still has to be created, and whether this client may without the token. */
export const GET = publicRoute(async (request) => json({ pending: await isSetupPending(await getDatabase()), local: isLoopback(clientIp(request.headers)) }));

/** POST /api/setup { email, password, name?, setupToken? } → 201, signed in as the owner. 403 SETUP_PENDING without the right to set up; 409 when done. */
export const POST = publicRoute(async (request) => {
  const body = parseInput(SetupBodySchema, await readJsonBody(request, 16 * 1024));
  const { userId, headers } = await setUpOwner(await getDatabase(), body, request.headers);
  return json({ userId, workspaceId: DEFAULT_WORKSPACE_ID }, { status: 201, headers: withCookies(headers, workspaceCookie(request, DEFAULT_WORKSPACE_ID)) });
});
