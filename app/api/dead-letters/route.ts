import { route } from "@/lib/server/api-route";
import { json, parseInput } from "@/lib/server/http";
import { ListRunsQuerySchema, listRuns, queryOf } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/dead-letters?workflowId=&cursor=&limit= → { runs, nextCursor }: failed runs not yet retried (POST /api/runs/:id/retry). */
export const GET = route("viewer", async (request) => {
  const q = parseInput(ListRunsQuerySchema.omit({ status: true }), queryOf(request), "query");
  return json(await listRuns({ ...q, deadLetters: true }));
});
