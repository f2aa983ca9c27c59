import { publicRoute } from "@/lib/server/api-route";

import { handleWebhook } from "@/lib/server/triggers/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/hooks/:workflowId with header x-aura-webhook-secret [JSON object body → run input] → by the trigger's response mode: 202 { runId } (immediately), the Output's value (lastNode) or SSE (stream); 403 wrong secret. */
export const POST = publicRoute<{ workflowId: string }>(async (request, { params }) => handleWebhook(request, params.workflowId, null));
