import { route } from "@/lib/server/api-route";
import { json, parseInput } from "@/lib/server/http";
import { CancelBodySchema, cancelRun, readOptionalJsonBody } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/runs/:id/cancel { reason? } → 202 { runId, status: "cancelling" | "cancelled" }; 409 if already finished. */
export const POST = route<{ id: string }>("editor", async (request, { params }) => {
  const body = parseInput(CancelBodySchema, await readOptionalJsonBody(request));
  return json(await cancelRun(params.id, body.reason), { status: 202 });
});
