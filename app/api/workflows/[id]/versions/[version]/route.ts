import { route } from "@/lib/server/api-route";
import { json, versionParam } from "@/lib/server/http";
import { getVersion } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workflows/:id/versions/:version → WorkflowDetail of that version */
export const GET = route<{ id: string; version: string }>("viewer", async (_request, { params }) => {
  const { id, version } = params;
  return json(await getVersion(id, versionParam(version)));
});
