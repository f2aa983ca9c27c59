import { workflowJsonSchema } from "@/lib/workflow";
import { handle, json } from "@/lib/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/schema/workflow.json → JSON Schema (draft 2020-12) of the workflow document */
export const GET = handle(async () => json(workflowJsonSchema(), { headers: { "content-type": "application/schema+json; charset=utf-8" } }));
