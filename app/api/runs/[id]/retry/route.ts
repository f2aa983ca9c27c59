import { handle, idParam, json } from "@/lib/server/http";
import { retryRun } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** POST /api/runs/:id/retry: retries a failed run as a new run (attempt + 1) from the failed node → 202 { runId, status: "queued" }; 409 RUN_STATE_CONFLICT otherwise. */
export const POST = handle(async (_request: Request, { params }: Ctx) => json(await retryRun(idParam((await params).id, "Run")), { status: 202 }));
