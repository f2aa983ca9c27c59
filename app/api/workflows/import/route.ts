import { route } from "@/lib/server/api-route";
import { json, readJsonBody } from "@/lib/server/http";
import { importWorkflow } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/workflows/import, body = a workflow document (an .aura.json file) → 201 { id, name }
 * (`name` gets "(imported)" or "(2)" when another workflow already has the document's name).
 * 400 INVALID_JSON / INVALID_DOCUMENT (with issues), 413 over 5 MB or over the node limit.
 */
export const POST = route("editor", async (request) => json(await importWorkflow(await readJsonBody(request)), { status: 201 }));
