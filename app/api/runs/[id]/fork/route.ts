import { handle, idParam, json, parseInput, readJsonBody } from "@/lib/server/http";
import { forkRun } from "@/lib/server/runs/time-travel";
import { ForkBodySchema } from "@/lib/contracts/time-travel-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/**
 * POST /api/runs/:id/fork { checkpointId, state? } → 202 { runId, status: "queued" }: a new run
 * (trigger "fork", parentRunId = :id) continuing from that checkpoint, with `state` fields replaced.
 * 400 bad body or unknown state field; 404 unknown run or checkpoint; 409 run still queued/running or
 * state not applicable at that checkpoint.
 */
export const POST = handle(async (request: Request, { params }: Ctx) => {
  const body = parseInput(ForkBodySchema, await readJsonBody(request));
  return json(await forkRun(idParam((await params).id, "Run"), body), { status: 202 });
});
