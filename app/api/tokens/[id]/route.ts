import { recordAudit } from "@/lib/server/audit";
import { revokeToken } from "@/lib/auth";
import { route } from "@/lib/server/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** DELETE /api/tokens/:id → 204: the token stops working at once. */
export const DELETE = route<{ id: string }>("viewer", async (_request, { caller, params, db }) => {
  await revokeToken(db, caller, params.id);
  await recordAudit({ workspaceId: caller.workspaceId, action: "token.revoked", target: { type: "token", id: params.id } });
  return new Response(null, { status: 204 });
});
