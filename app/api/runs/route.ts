import { handle, json, parseInput } from "@/lib/server/http";
import { ListRunsQuerySchema, listRuns, queryOf } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/runs?workflowId=&status=a,b&cursor=&limit= → { runs, nextCursor } (newest first). */
export const GET = handle(async (request: Request) => json(await listRuns(parseInput(ListRunsQuerySchema, queryOf(request), "query"))));
