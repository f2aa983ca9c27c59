import { route } from "@/lib/server/api-route";
import { z } from "zod";
import { json, parseInput } from "@/lib/server/http";
import { queryOf } from "@/lib/server/runs";
import { workflowObservedStats, workflowTopology } from "@/lib/server/topology-stats";
import { TopologyQuerySchema } from "@/lib/contracts/stats-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const QuerySchema = TopologyQuerySchema.extend({
  /** "report" (default): the whole analysis; "stats": only the observed stats, for a client that analyses itself. */
  view: z.enum(["report", "stats"]).default("report"),
  /** Only runs created before this time (ISO 8601 or epoch ms): the report as it was then. */
  before: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const d = /^\d+$/.test(s) ? new Date(Number(s)) : new Date(s);
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: "custom", message: `before "${s}" is not a time; use ISO 8601 or epoch milliseconds.` });
        return z.NEVER;
      }
      return d;
    }),
});

/**
 * GET /api/workflows/:id/topology?runs=N&before= → analyzeTopology's report (lib/topology
 * TopologyReport) of the current version over the observed stats of its latest N finished runs
 * (default 50, at most 1,000), plus `observed: { runs, version, from, to }`.
 * With `view=stats`: `{ stats, observed }` only (stats null when no run finished yet).
 */
export const GET = route<{ id: string }>("viewer", async (request, { params }) => {
  const { id } = params;
  const { view, ...q } = parseInput(QuerySchema, queryOf(request), "query");
  if (view === "stats") {
    const { stats, observed } = await workflowObservedStats(id, q);
    return json({ stats: stats ?? null, observed });
  }
  return json(await workflowTopology(id, q));
});
