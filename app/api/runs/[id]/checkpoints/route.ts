import { route } from "@/lib/server/api-route";
import { json, parseInput } from "@/lib/server/http";
import { queryOf } from "@/lib/server/runs";
import { listCheckpoints } from "@/lib/server/runs/time-travel";
import { CheckpointsQuerySchema } from "@/lib/contracts/time-travel-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/runs/:id/checkpoints?limit= → { runId, threadId, checkpoints (oldest first: id, step, ran,
 * next, interrupts, createdAt, values), truncated, forkedFrom, forks }; 404 for an unknown run.
 */
export const GET = route<{ id: string }>("viewer", async (request, { params }) => {
  const q = parseInput(CheckpointsQuerySchema, queryOf(request));
  return json(await listCheckpoints(params.id, q.limit));
});
