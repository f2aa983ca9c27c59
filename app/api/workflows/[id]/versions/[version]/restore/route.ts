import { route } from "@/lib/server/api-route";
import { json, versionParam } from "@/lib/server/http";
import { restoreVersion } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/workflows/:id/versions/:version/restore → WorkflowDetail (a new version, reason "restore:N") */
export const POST = route<{ id: string; version: string }>("editor", async (_request, { params }) => {
  const { id, version } = params;
  return json(await restoreVersion(id, versionParam(version)));
});
