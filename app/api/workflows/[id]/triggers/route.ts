import { handle, idParam, json, parseInput, readJsonBody } from "@/lib/server/http";
import { PutTriggersBodySchema } from "@/lib/contracts/trigger-api";
import { getTriggers, putTriggers } from "@/lib/server/triggers/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** GET /api/workflows/:id/triggers → { triggers } */
export const GET = handle(async (_request: Request, { params }: Ctx) => json(await getTriggers(idParam((await params).id, "Workflow"))));

/** PUT /api/workflows/:id/triggers { triggers: [{ id?, kind: "webhook", enabled?, input?, rotateSecret?, responseMode?: "immediately" | "lastNode" | "stream" } | { id?, kind: "schedule", cron, timezone?, enabled?, input? }] } → { triggers } */
export const PUT = handle(async (request: Request, { params }: Ctx) => {
  const body = parseInput(PutTriggersBodySchema, await readJsonBody(request));
  return json(await putTriggers(idParam((await params).id, "Workflow"), body));
});
