import { handle, idParam, json, parseInput } from "@/lib/server/http";
import { queryOf } from "@/lib/server/runs";
import { listCheckpoints } from "@/lib/server/runs/time-travel";
import { CheckpointsQuerySchema } from "@/lib/contracts/time-travel-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET /api/runs/:id/checkpoints?limit= → { runId, threadId, checkpoints (oldest first: id, step, ran,
 * next, interrupts, createdAt, values), truncated, forkedFrom, forks }; 404 for an unknown run.
 */
export const GET = handle(async (request: Request, { params }: Ctx) => {
  const q = parseInput(CheckpointsQuerySchema, queryOf(request));
  return json(await listCheckpoints(idParam((await params).id, "Run"), q.limit));
});
