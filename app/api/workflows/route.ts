import { route } from "@/lib/server/api-route";
import { LIMITS } from "@/lib/workflow";
import { CreateWorkflowBodySchema } from "@/lib/contracts";
import { json, parseInput, readBodyText } from "@/lib/server/http";
import { createWorkflow, listWorkflows } from "@/lib/server/workflows";
import { AppError, ErrorCode } from "@/lib/server/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workflows → { workflows: WorkflowSummary[] } */
export const GET = route("viewer", async () => json({ workflows: await listWorkflows() }));

/** POST /api/workflows { name?, document? } → 201 WorkflowDetail */
export const POST = route("editor", async (request) => {
  const text = await readBodyText(request, LIMITS.maxBodyBytes);
  let body: unknown = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new AppError(ErrorCode.INVALID_JSON, `The request body is not valid JSON: ${(error as Error).message}`);
    }
  }
  const input = parseInput(CreateWorkflowBodySchema, body);
  return json(await createWorkflow(input), { status: 201 });
});
