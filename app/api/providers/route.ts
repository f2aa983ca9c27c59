import { route } from "@/lib/server/api-route";
import { json, readJsonBody } from "@/lib/server/http";
import { getProviders, putProviders } from "@/lib/server/providers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Up to 200 entries of a few numbers each. */
const MAX_BODY = 64 * 1024;

/**
 * GET /api/providers → { defaults, providers, breakers }: the workspace's rate limits and breaker
 * thresholds per provider / host, and the live state and history of its circuit breakers.
 */
export const GET = route("viewer", async (_request, { caller }) => json(await getProviders(caller.workspaceId)));

/** PUT /api/providers { providers: [{ key, failureThreshold, windowMs, cooldownMs, requestsPerMinute, tokensPerMinute }] } → the GET answer. */
export const PUT = route("admin", async (request, { caller }) =>
  json(await putProviders(caller.workspaceId, await readJsonBody(request, MAX_BODY), caller.userId)),
);
