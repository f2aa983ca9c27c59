import { route } from "@/lib/server/api-route";

import { streamRun } from "@/lib/server/runs/run-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/runs/:id/stream (Last-Event-ID header or ?after=SEQ) → text/event-stream of the run's
 * events after that seq, ending with its terminal event; 400 bad seq; 404 unknown run.
 */
export const GET = route<{ id: string }>("viewer", async (request, { params }) => streamRun(request, params.id));
