import { recordAudit } from "@/lib/server/audit";
import { route } from "@/lib/server/api-route";
import { json, readJsonBody } from "@/lib/server/http";
import { createCredential, listCredentials } from "@/lib/server/credentials";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A credential body is a name, a type, a few settings and one secret: 64 KB is plenty. */
const MAX_BODY = 64 * 1024;

/**
 * GET /api/credentials → { credentials: CredentialView[] }: name, type, settings, hint, dates; never a secret.
 * Viewers may list them: the inspector of a workflow they can read shows which credential a node uses.
 */
export const GET = route("viewer", async (_request, { caller }) => json({ credentials: await listCredentials(caller.workspaceId) }));

/**
 * POST /api/credentials { name, type, secret, baseUrl? | username? | headerName? } → 201 CredentialView.
 * 400 with issues for bad input, 409 CREDENTIAL_NAME_TAKEN.
 */
export const POST = route("admin", async (request, { caller }) => {
  const created = await createCredential(caller.workspaceId, await readJsonBody(request, MAX_BODY), caller.userId);
  await recordAudit({
    workspaceId: caller.workspaceId,
    action: "credential.created",
    target: { type: "credential", id: created.id },
    detail: { name: created.name, type: created.type },
  });
  return json(created, { status: 201 });
});
