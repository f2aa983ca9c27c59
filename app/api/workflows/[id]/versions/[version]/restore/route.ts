import { handle, idParam, json, versionParam } from "@/lib/server/http";
import { restoreVersion } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/workflows/:id/versions/:version/restore → WorkflowDetail (a new version, reason "restore:N") */
export const POST = handle(async (_request: Request, { params }: { params: Promise<{ id: string; version: string }> }) => {
  const { id: rawId, version } = await params;
  const id = idParam(rawId, "Workflow");
  return json(await restoreVersion(id, versionParam(version)));
});
