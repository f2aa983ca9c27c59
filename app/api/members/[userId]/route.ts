import { recordAudit } from "@/lib/server/audit";
import { UpdateMemberBodySchema } from "@/lib/contracts";
import { changeRole, removeMember } from "@/lib/auth";
import { route } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** PATCH /api/members/:userId { role } → { members }. Only an owner changes owners; the last owner stays owner. */
export const PATCH = route<{ userId: string }>("admin", async (request, { caller, params, db }) => {
  const { role } = parseInput(UpdateMemberBodySchema, await readJsonBody(request, 4 * 1024));
  const members = await changeRole(db, caller, params.userId, role);
  await recordAudit({ workspaceId: caller.workspaceId, action: "member.role_changed", target: { type: "user", id: params.userId }, detail: { role } });
  return json({ members });
});

/** DELETE /api/members/:userId → 204; the member's tokens for this workspace are revoked. */
export const DELETE = route<{ userId: string }>("admin", async (_request, { caller, params, db }) => {
  await removeMember(db, caller, params.userId);
  await recordAudit({ workspaceId: caller.workspaceId, action: "member.removed", target: { type: "user", id: params.userId } });
  return new Response(null, { status: 204 });
});
