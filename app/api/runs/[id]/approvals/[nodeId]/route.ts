import { handle, idParam, json, parseInput, readJsonBody } from "@/lib/server/http";
import { answerApproval, ApprovalBodySchema } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; nodeId: string }> };

/** POST /api/runs/:id/approvals/:nodeId { approved, comment?, values?, interruptId? } → 202 { runId, status: "queued" }; 409 if the run does not wait there. */
export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { id: rawId, nodeId: rawNode } = await params;
  const id = idParam(rawId, "Run");
  const nodeId = idParam(rawNode, "Node");
  const body = parseInput(ApprovalBodySchema, await readJsonBody(request));
  return json(await answerApproval(id, nodeId, body), { status: 202 });
});
