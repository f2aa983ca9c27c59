import { route } from "@/lib/server/api-route";
import { CreateWorkflowBodySchema } from "@/lib/contracts";
import { json, parseInput } from "@/lib/server/http";
import { readOptionalJsonBody } from "@/lib/server/runs";
import { createWorkflow, listWorkflows } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workflows → { workflows: WorkflowSummary[] } */
export const GET = route("viewer", async () => json({ workflows: await listWorkflows() }));

/** POST /api/workflows { name?, document? } → 201 WorkflowDetail */
export const POST = route("editor", async (request) => {
  const input = parseInput(CreateWorkflowBodySchema, await readOptionalJsonBody(request));
  return json(await createWorkflow(input), { status: 201 });
});
