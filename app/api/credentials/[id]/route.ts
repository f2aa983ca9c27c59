import { handle, json, readJsonBody } from "@/lib/server/http";
import { DEFAULT_WORKSPACE_ID, deleteCredential, getCredential, updateCredential } from "@/lib/server/credentials";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const MAX_BODY = 64 * 1024;

/** GET /api/credentials/:id → CredentialView (never the secret); 404 for an unknown id or another workspace's. */
// role: viewer
export const GET = handle(async (_request: Request, { params }: Ctx) => json(await getCredential(DEFAULT_WORKSPACE_ID, (await params).id)));

/**
 * PUT /api/credentials/:id { name?, secret?, baseUrl?, username?, headerName? } → CredentialView.
 * No (or an empty) secret keeps the stored one; the type cannot change. 400 / 404 / 409 CREDENTIAL_NAME_TAKEN.
 */
// role: admin
export const PUT = handle(async (request: Request, { params }: Ctx) =>
  json(await updateCredential(DEFAULT_WORKSPACE_ID, (await params).id, await readJsonBody(request, MAX_BODY))),
);

/**
 * DELETE /api/credentials/:id → { ok: true }; 409 CREDENTIAL_IN_USE with `workflows` [{ id, name }]
 * while the current version of a workflow refers to it (pick another credential there first).
 */
// role: admin
export const DELETE = handle(async (_request: Request, { params }: Ctx) => {
  await deleteCredential(DEFAULT_WORKSPACE_ID, (await params).id);
  return json({ ok: true });
});
