import { handle, idParam, json, versionParam } from "@/lib/server/http";
import { getVersion } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workflows/:id/versions/:version → WorkflowDetail of that version */
export const GET = handle(async (_request: Request, { params }: { params: Promise<{ id: string; version: string }> }) => {
  const { id: rawId, version } = await params;
  const id = idParam(rawId, "Workflow");
  return json(await getVersion(id, versionParam(version)));
});
