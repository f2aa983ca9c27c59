import { route } from "@/lib/server/api-route";

import { metricsText } from "@/lib/server/metrics-snapshot";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/metrics: Prometheus text format 0.0.4 (runs, node executions, durations, failures, queue depth, event-loop delay). */
export const GET = route(
  "admin",
  async () => new Response(await metricsText(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } }),
);
