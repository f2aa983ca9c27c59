import { SwitchWorkspaceBodySchema } from "@/lib/contracts";
import { assertMember } from "@/lib/auth";
import { route } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { withCookies, workspaceCookie } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** PUT /api/workspaces/current { workspaceId } → { id, name, role }: this browser works in that workspace from now on. 404 when not a member. */
export const PUT = route("viewer", async (request, { caller, db }) => {
  const { workspaceId } = parseInput(SwitchWorkspaceBodySchema, await readJsonBody(request, 4 * 1024));
  const ws = await assertMember(db, caller, workspaceId);
  return json(ws, { headers: withCookies(new Headers(), workspaceCookie(request, ws.id)) });
});
