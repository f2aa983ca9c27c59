import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { retryRun } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/runs/:id/retry: retries a failed run as a new run (attempt + 1) from the failed node → 202 { runId, status: "queued" }; 409 RUN_STATE_CONFLICT otherwise. */
export const POST = route<{ id: string }>("editor", async (_request, { params }) => json(await retryRun(params.id), { status: 202 }));
