import { buildOpenApiDocument } from "@/lib/contracts/openapi";
import { publicRoute } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Built once per process: it depends only on the code.
let document: Record<string, unknown> | undefined;

/** GET /api/openapi.json → the OpenAPI 3.1 document of this API, generated from the zod contracts (public: it describes, it holds no data). */
export const GET = publicRoute(async () => json((document ??= buildOpenApiDocument()), { headers: { "cache-control": "public, max-age=300" } }));
