import { route } from "@/lib/server/api-route";
import { parseInput } from "@/lib/server/http";
import { readOptionalJsonBody, startRun, StartRunBodySchema } from "@/lib/server/runs";
import { prepareStartAnswer } from "@/lib/server/runs/run-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/workflows/:id/runs { input?, trigger?, usePinnedData? } → 202 { runId, status: "queued", position, urls }.
 * `?wait=SECONDS`: 200 with the result when the run stops in time, else 202; `Accept:
 * text/event-stream`: the run's events as SSE. 400 WORKFLOW_INVALID (issues with the editor's codes),
 * INPUT_INVALID or a bad wait; 404 unknown workflow.
 */
export const POST = route<{ id: string }>("editor", async (request, { params }) => {
  const { id } = params;
  const answer = prepareStartAnswer(request);
  const body = parseInput(StartRunBodySchema, await readOptionalJsonBody(request));
  return answer(await startRun(id, body.input, body.trigger, { usePinnedData: body.usePinnedData }));
});
