import { handle, json } from "@/lib/server/http";
import { storageReport } from "@/lib/server/retention/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// role: viewer
/** GET /api/storage: runs kept, database bytes by table, the retention policy, the last and next prune. */
export const GET = handle(async () => json(await storageReport()));
