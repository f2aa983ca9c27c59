import { route } from "@/lib/server/api-route";
import { json, parseInput } from "@/lib/server/http";
import { queryOf } from "@/lib/server/runs";
import { getOverview } from "@/lib/server/stats";
import { OverviewQuerySchema } from "@/lib/contracts/stats-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/stats/overview?from=&to=&bucket=&workflowId= → Overview (lib/api/stats-api.ts): status
 * counts, throughput, failure rate and p50/p95 latency per bucket, failing nodes, tokens and cost by
 * workflow and model, approvals waiting. Default window: the last 24 hours, bucket "auto".
 */
export const GET = route("viewer", async (request) => json(await getOverview(parseInput(OverviewQuerySchema, queryOf(request), "query"))));
