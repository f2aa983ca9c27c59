import { recordAudit } from "@/lib/server/audit";
import { CreateTokenBodySchema } from "@/lib/contracts";
import { createToken, listTokens } from "@/lib/auth";
import { route } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/tokens → { tokens }: the caller's API tokens for this workspace (names, roles, first characters, last use). */
export const GET = route("viewer", async (_request, { caller, db }) => json({ tokens: await listTokens(db, caller) }));

/** POST /api/tokens { name, role?, expiresInDays? } → 201 { …, token }: the token is shown this once. Role at most the caller's. */
export const POST = route("viewer", async (request, { caller, db }) => {
  const body = parseInput(CreateTokenBodySchema, await readJsonBody(request, 4 * 1024));
  const token = await createToken(db, caller, body);
  await recordAudit({
    workspaceId: caller.workspaceId,
    action: "token.created",
    target: { type: "token", id: token.id },
    detail: { name: token.name, role: token.role },
  });
  return json(token, { status: 201 });
});
