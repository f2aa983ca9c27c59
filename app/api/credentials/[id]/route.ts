import { recordAudit } from "@/lib/server/audit";
import { route } from "@/lib/server/api-route";
import { json, readJsonBody } from "@/lib/server/http";
import { deleteCredential, getCredential, updateCredential } from "@/lib/server/credentials";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MAX_BODY = 64 * 1024;

/** GET /api/credentials/:id → CredentialView (never the secret); 404 for an unknown id or another workspace's. */
export const GET = route<{ id: string }>("viewer", async (_request, { caller, params }) => json(await getCredential(caller.workspaceId, params.id)));

/**
 * PUT /api/credentials/:id { name?, secret?, baseUrl?, username?, headerName? } → CredentialView.
 * No (or an empty) secret keeps the stored one; the type cannot change. 400 / 404 / 409 CREDENTIAL_NAME_TAKEN.
 */
export const PUT = route<{ id: string }>("admin", async (request, { caller, params }) => {
  const updated = await updateCredential(caller.workspaceId, params.id, await readJsonBody(request, MAX_BODY));
  await recordAudit({
    workspaceId: caller.workspaceId,
    action: "credential.updated",
    target: { type: "credential", id: params.id },
    detail: { name: updated.name },
  });
  return json(updated);
});

/**
 * DELETE /api/credentials/:id → { ok: true }; 409 CREDENTIAL_IN_USE with `workflows` [{ id, name }]
 * while the current version of a workflow refers to it (pick another credential there first).
 */
export const DELETE = route<{ id: string }>("admin", async (_request, { caller, params }) => {
  await deleteCredential(caller.workspaceId, params.id);
  await recordAudit({ workspaceId: caller.workspaceId, action: "credential.deleted", target: { type: "credential", id: params.id } });
  return json({ ok: true });
});
