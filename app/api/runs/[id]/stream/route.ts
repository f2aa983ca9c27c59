import { handle, idParam } from "@/lib/server/http";
import { streamRun } from "@/lib/server/runs/run-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET /api/runs/:id/stream (Last-Event-ID header or ?after=SEQ) → text/event-stream of the run's
 * events after that seq, ending with its terminal event; 400 bad seq; 404 unknown run.
 */
export const GET = handle(async (request: Request, { params }: Ctx) => streamRun(request, idParam((await params).id, "Run")));
