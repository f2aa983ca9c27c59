import { revokeInvitation } from "@/lib/auth";
import { getDatabase } from "@/lib/db/database";
import { route } from "@/lib/server/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** DELETE /api/invitations/:id → 204: the link stops working. */
export const DELETE = route<{ id: string }>("admin", async (_request, { caller, params }) => {
  await revokeInvitation(await getDatabase(), caller, params.id);
  return new Response(null, { status: 204 });
});
