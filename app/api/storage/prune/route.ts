import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { pruneNow } from "@/lib/server/retention/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/storage/prune: one retention pass now (200 with what it did; `skipped` when another server holds the lease). It applies the server's policy, nothing more. */
export const POST = route("admin", async () => json(await pruneNow()));
