import { sessionInfo } from "@/lib/auth";
import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/auth/session → { user, workspace, workspaces, via }: who is calling, where, with which role. 401 when nobody. */
export const GET = route("viewer", async (_request, { caller, db }) => json(await sessionInfo(db, caller)));
