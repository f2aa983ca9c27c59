import { publicRoute } from "@/lib/server/api-route";

import { handleWebhook } from "@/lib/server/triggers/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/hooks/:workflowId/:secret [JSON object body → run input] → by the trigger's response mode: 202 { runId } (immediately), the Output's value (lastNode) or SSE (stream); 403 wrong secret. */
export const POST = publicRoute<{ workflowId: string; secret: string }>(async (request, { params }) => {
  const { workflowId, secret } = params;
  return handleWebhook(request, workflowId, secret);
});
