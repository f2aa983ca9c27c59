import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { listTemplates } from "@/lib/server/templates";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/templates → { templates: [{ slug, name, description, nodeCount, document }] } */
export const GET = route("viewer", async () => json({ templates: await listTemplates() }));
