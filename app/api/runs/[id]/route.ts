import { handle, idParam, json } from "@/lib/server/http";
import { getRun } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** GET /api/runs/:id → RunDetail (status, per-node states, result, error, waitingFor, lastSeq). */
export const GET = handle(async (_request: Request, { params }: Ctx) => json(await getRun(idParam((await params).id, "Run"))));
