import { route } from "@/lib/server/api-route";
import { UpdateWorkflowBodySchema } from "@/lib/contracts";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { deleteWorkflow, getWorkflow, renameWorkflow, saveWorkflow } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workflows/:id → WorkflowDetail (current version) */
export const GET = route<{ id: string }>("viewer", async (_request, { params }) => json(await getWorkflow(params.id)));

/**
 * PUT /api/workflows/:id
 * { baseVersion, document, force? } saves a new version (409 VERSION_CONFLICT if baseVersion is stale);
 * { name } renames (also a new version). → WorkflowDetail
 */
export const PUT = route<{ id: string }>("editor", async (request, { params }) => {
  const { id } = params;
  const body = parseInput(UpdateWorkflowBodySchema, await readJsonBody(request));
  const detail = "baseVersion" in body ? await saveWorkflow(id, body) : await renameWorkflow(id, body.name);
  return json(detail);
});

/** DELETE /api/workflows/:id → { ok: true } */
export const DELETE = route<{ id: string }>("editor", async (_request, { params }) => {
  await deleteWorkflow(params.id);
  return json({ ok: true });
});
