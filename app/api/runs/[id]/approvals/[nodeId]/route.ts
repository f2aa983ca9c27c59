import { route } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { answerApproval, ApprovalBodySchema } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/runs/:id/approvals/:nodeId { approved, comment?, values?, interruptId? } → 202 { runId, status: "queued" }; 409 if the run does not wait there. */
export const POST = route<{ id: string; nodeId: string }>("editor", async (request, { params }) => {
  const { id, nodeId } = params;
  const body = parseInput(ApprovalBodySchema, await readJsonBody(request));
  return json(await answerApproval(id, nodeId, body), { status: 202 });
});
