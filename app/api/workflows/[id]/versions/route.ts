import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { listVersions } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workflows/:id/versions → { versions: VersionSummary[] } (newest first) */
export const GET = route<{ id: string }>("viewer", async (_request, { params }) => json({ versions: await listVersions(params.id) }));
