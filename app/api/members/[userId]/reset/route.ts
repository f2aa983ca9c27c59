import { recordAudit } from "@/lib/server/audit";
import { resetAccess } from "@/lib/auth";
import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { publicOrigin } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/members/:userId/reset → 201 { id, url, expiresAt }: ends the member's sessions and tokens; the one-time link lets them set a new password (24 h). */
export const POST = route<{ userId: string }>("admin", async (request, { caller, params, db }) => {
  const link = await resetAccess(db, caller, params.userId);
  await recordAudit({ workspaceId: caller.workspaceId, action: "member.access_reset", target: { type: "user", id: params.userId } });
  return json({ id: link.id, url: publicOrigin(request) + link.path, expiresAt: link.expiresAt }, { status: 201 });
});
