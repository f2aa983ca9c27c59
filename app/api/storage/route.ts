import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { storageReport } from "@/lib/server/retention/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/storage: runs kept, database bytes by table, the retention policy, the last and next prune. Server-wide figures: admins only. */
export const GET = route("admin", async () => json(await storageReport()));
