import { UpdateWorkflowBodySchema } from "@/lib/contracts";
import { handle, idParam, json, parseInput, readJsonBody } from "@/lib/server/http";
import { deleteWorkflow, getWorkflow, renameWorkflow, saveWorkflow } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** GET /api/workflows/:id → WorkflowDetail (current version) */
export const GET = handle(async (_request: Request, { params }: Ctx) => json(await getWorkflow(idParam((await params).id, "Workflow"))));

/**
 * PUT /api/workflows/:id
 * { baseVersion, document, force? } saves a new version (409 VERSION_CONFLICT if baseVersion is stale);
 * { name } renames (also a new version). → WorkflowDetail
 */
export const PUT = handle(async (request: Request, { params }: Ctx) => {
  const id = idParam((await params).id, "Workflow");
  const body = parseInput(UpdateWorkflowBodySchema, await readJsonBody(request));
  const detail = "baseVersion" in body ? await saveWorkflow(id, body) : await renameWorkflow(id, body.name);
  return json(detail);
});

/** DELETE /api/workflows/:id → { ok: true } */
export const DELETE = handle(async (_request: Request, { params }: Ctx) => {
  await deleteWorkflow(idParam((await params).id, "Workflow"));
  return json({ ok: true });
});
