import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { getRun } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/runs/:id → RunDetail (status, per-node states, result, error, waitingFor, lastSeq). */
export const GET = route<{ id: string }>("viewer", async (_request, { params }) => json(await getRun(params.id)));
