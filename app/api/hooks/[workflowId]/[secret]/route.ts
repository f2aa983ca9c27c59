import { handle, json } from "@/lib/server/http";
import { handleWebhook } from "@/lib/server/triggers/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ workflowId: string; secret: string }> };

/** POST /api/hooks/:workflowId/:secret [JSON object body → run input] → 202 { runId }; 403 wrong secret. */
export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { workflowId, secret } = await params;
  return json(await handleWebhook(request, workflowId, secret), { status: 202 });
});
