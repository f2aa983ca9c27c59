import { publicRoute } from "@/lib/server/api-route";
import { workflowJsonSchema } from "@/lib/workflow";
import { json } from "@/lib/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/schema/workflow.json → JSON Schema (draft 2020-12) of the workflow document */
export const GET = publicRoute(async () => json(workflowJsonSchema(), { headers: { "content-type": "application/schema+json; charset=utf-8" } }));
