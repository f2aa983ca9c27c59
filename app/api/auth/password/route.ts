import { recordAudit } from "@/lib/server/audit";
import { ChangePasswordBodySchema } from "@/lib/contracts";
import { changePassword } from "@/lib/auth";
import { route } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { withCookies } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/auth/password { currentPassword, newPassword } → 200; other sessions of the user end. */
export const POST = route("viewer", async (request, { caller, db }) => {
  const body = parseInput(ChangePasswordBodySchema, await readJsonBody(request, 16 * 1024));
  const headers = await changePassword(db, caller, body, request.headers);
  await recordAudit({ workspaceId: caller.workspaceId, action: "auth.password_changed", target: { type: "user", id: caller.userId } });
  return json({ ok: true }, { headers: withCookies(headers) });
});
