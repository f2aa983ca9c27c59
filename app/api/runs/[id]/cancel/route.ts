import { handle, idParam, json, parseInput } from "@/lib/server/http";
import { CancelBodySchema, cancelRun, readOptionalJsonBody } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** POST /api/runs/:id/cancel { reason? } → 202 { runId, status: "cancelling" | "cancelled" }; 409 if already finished. */
export const POST = handle(async (request: Request, { params }: Ctx) => {
  const body = parseInput(CancelBodySchema, await readOptionalJsonBody(request));
  return json(await cancelRun(idParam((await params).id, "Run"), body.reason), { status: 202 });
});
