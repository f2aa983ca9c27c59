import { handle, json } from "@/lib/server/http";
import { handleWebhook } from "@/lib/server/triggers/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ workflowId: string }> };

/** POST /api/hooks/:workflowId with header x-aura-webhook-secret [JSON object body → run input] → 202 { runId }; 403 wrong secret. */
export const POST = handle(async (request: Request, { params }: Ctx) => json(await handleWebhook(request, (await params).workflowId, null), { status: 202 }));
