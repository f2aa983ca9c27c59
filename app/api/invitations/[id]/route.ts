import { revokeInvitation } from "@/lib/auth";
import { route } from "@/lib/server/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** DELETE /api/invitations/:id → 204: the link stops working. */
export const DELETE = route<{ id: string }>("admin", async (_request, { caller, params, db }) => {
  await revokeInvitation(db, caller, params.id);
  return new Response(null, { status: 204 });
});
