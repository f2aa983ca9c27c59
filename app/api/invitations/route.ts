import { recordAudit } from "@/lib/server/audit";
import { CreateInvitationBodySchema } from "@/lib/contracts";
import { createInvitation, listInvitations } from "@/lib/auth";
import { route } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { publicOrigin } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/invitations → { invitations }: open (unused, unexpired) invitations of the workspace. */
export const GET = route("admin", async (_request, { caller, db }) => json({ invitations: await listInvitations(db, caller) }));

/** POST /api/invitations { role?, email?, expiresInHours? } → 201 { id, url, expiresAt }: a one-time link, shown once. */
export const POST = route("admin", async (request, { caller, db }) => {
  const body = parseInput(CreateInvitationBodySchema, await readJsonBody(request, 4 * 1024));
  const link = await createInvitation(db, caller, body);
  await recordAudit({
    workspaceId: caller.workspaceId,
    action: "member.invited",
    target: { type: "invitation", id: link.id },
    detail: { role: body.role, email: body.email ?? null },
  });
  return json({ id: link.id, url: publicOrigin(request) + link.path, expiresAt: link.expiresAt }, { status: 201 });
});
