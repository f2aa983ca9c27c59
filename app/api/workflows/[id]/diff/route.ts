import { route } from "@/lib/server/api-route";
import { json, parseInput } from "@/lib/server/http";
import { queryOf } from "@/lib/server/runs";
import { diffVersions } from "@/lib/server/workflow-diff";
import { DiffQuerySchema } from "@/lib/contracts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/workflows/:id/diff?from=N&to=M → { workflowId, from, to, diff } (lib/workflow WorkflowDiff);
 * `to` defaults to the current version. 400 for a bad query, 404 for a missing workflow or version.
 */
export const GET = route<{ id: string }>("viewer", async (request, { params }) => {
  const { id } = params;
  const { from, to } = parseInput(DiffQuerySchema, queryOf(request), "query");
  return json(await diffVersions(id, from, to));
});
