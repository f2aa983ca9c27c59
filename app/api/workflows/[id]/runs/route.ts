import { handle, json, parseInput } from "@/lib/server/http";
import { readOptionalJsonBody, startRun, StartRunBodySchema } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/**
 * POST /api/workflows/:id/runs { input?, trigger?, usePinnedData? } → 202 { runId, status: "queued", position }.
 * 400 WORKFLOW_INVALID (issues with the editor's codes) or INPUT_INVALID; 404 unknown workflow.
 */
export const POST = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const body = parseInput(StartRunBodySchema, await readOptionalJsonBody(request));
  return json(await startRun(id, body.input, body.trigger, { usePinnedData: body.usePinnedData }), { status: 202 });
});
