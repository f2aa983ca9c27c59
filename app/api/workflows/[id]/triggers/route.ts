import { route } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { PutTriggersBodySchema } from "@/lib/contracts/trigger-api";
import { getTriggers, putTriggers } from "@/lib/server/triggers/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workflows/:id/triggers → { triggers } (webhook secrets and URLs only for editors and above: a viewer sees no secrets). */
export const GET = route<{ id: string }>("viewer", async (_request, { params, caller }) => {
  const { triggers } = await getTriggers(params.id);
  if (caller.role !== "viewer") return json({ triggers });
  return json({ triggers: triggers.map(({ secret: _secret, url: _url, ...rest }) => rest) });
});

/** PUT /api/workflows/:id/triggers { triggers: [{ id?, kind: "webhook", enabled?, input?, rotateSecret?, responseMode?: "immediately" | "lastNode" | "stream" } | { id?, kind: "schedule", cron, timezone?, enabled?, input? }] } → { triggers } */
export const PUT = route<{ id: string }>("editor", async (request, { params }) => {
  const body = parseInput(PutTriggersBodySchema, await readJsonBody(request));
  return json(await putTriggers(params.id, body));
});
