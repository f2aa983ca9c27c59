import { handle, json } from "@/lib/server/http";
import { pruneNow } from "@/lib/server/retention/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// role: admin
/** POST /api/storage/prune: one retention pass now (200 with what it did; `skipped` when another server holds the lease). */
export const POST = handle(async () => json(await pruneNow()));
