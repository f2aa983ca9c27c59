import { route } from "@/lib/server/api-route";
import { json, parseInput } from "@/lib/server/http";
import { ListRunsQuerySchema, listRuns, queryOf } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/runs?workflowId=&status=a,b&trigger=a,b&from=&to=&q=&cursor=&limit= → { runs, nextCursor }
 * (newest first). Every parameter is optional. from/to: ISO 8601 or epoch ms, on createdAt, [from, to).
 * q: "run_…" matches run ids by prefix, anything else workflow names (case-insensitive substring).
 * Pass nextCursor back as cursor for the next page (keyset pagination).
 */
export const GET = route("viewer", async (request) => json(await listRuns(parseInput(ListRunsQuerySchema, queryOf(request), "query"))));
