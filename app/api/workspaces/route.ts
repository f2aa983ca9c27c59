import { CreateWorkspaceBodySchema } from "@/lib/contracts";
import { createWorkspace, sessionInfo } from "@/lib/auth";
import { route } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { withCookies, workspaceCookie } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workspaces → { workspaces: [{ id, name, role }] } of the caller. */
export const GET = route("viewer", async (_request, { caller, db }) => json({ workspaces: (await sessionInfo(db, caller)).workspaces }));

/** POST /api/workspaces { name } → 201 { id, name, role: "owner" }, and switches this browser to it. */
export const POST = route("viewer", async (request, { caller, db }) => {
  const body = parseInput(CreateWorkspaceBodySchema, await readJsonBody(request, 16 * 1024));
  const ws = await createWorkspace(db, caller, body.name);
  return json(ws, { status: 201, headers: withCookies(new Headers(), workspaceCookie(request, ws.id)) });
});
