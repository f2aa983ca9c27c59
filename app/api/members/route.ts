import { listMembers } from "@/lib/auth";
import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/members → { members: [{ userId, email, name, role, joinedAt }] } of the current workspace. */
export const GET = route("admin", async (_request, { caller, db }) => json({ members: await listMembers(db, caller) }));
