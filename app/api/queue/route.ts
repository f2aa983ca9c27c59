import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { queueStatus } from "@/lib/server/queue/status";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/queue → QueueStatus: the run queue (waiting, active, delayed) and the processes that serve
 * and execute runs (host, pid, runs in flight, last heartbeat). Viewer: it holds no secrets.
 */
export const GET = route("viewer", async () => json(await queueStatus()));
