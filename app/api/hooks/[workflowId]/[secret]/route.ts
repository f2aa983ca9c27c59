import { handle } from "@/lib/server/http";
import { handleWebhook } from "@/lib/server/triggers/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ workflowId: string; secret: string }> };

/** POST /api/hooks/:workflowId/:secret [JSON object body → run input] → by the trigger's response mode: 202 { runId } (immediately), the Output's value (lastNode) or SSE (stream); 403 wrong secret. */
export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { workflowId, secret } = await params;
  return handleWebhook(request, workflowId, secret);
});
