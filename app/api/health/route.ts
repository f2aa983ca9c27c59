import { publicRoute } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { checkHealth } from "@/lib/server/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/health → { ok: true, db: "sqlite" | "postgresql", mode } after a real query; 503 when the database fails. */
export const GET = publicRoute(async () => {
  const health = await checkHealth();
  return json(health, { status: health.ok ? 200 : 503 });
});
