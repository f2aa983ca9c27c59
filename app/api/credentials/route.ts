import { handle, json, readJsonBody } from "@/lib/server/http";
import { createCredential, DEFAULT_WORKSPACE_ID, listCredentials } from "@/lib/server/credentials";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A credential body is a name, a type, a few settings and one secret: 64 KB is plenty. */
const MAX_BODY = 64 * 1024;

/**
 * GET /api/credentials → { credentials: CredentialView[] }: name, type, settings, hint, dates; never a secret.
 * Viewers may list them: the inspector of a workflow they can read shows which credential a node uses.
 */
// role: viewer
export const GET = handle(async () => json({ credentials: await listCredentials(DEFAULT_WORKSPACE_ID) }));

/**
 * POST /api/credentials { name, type, secret, baseUrl? | username? | headerName? } → 201 CredentialView.
 * 400 with issues for bad input, 409 CREDENTIAL_NAME_TAKEN.
 */
// role: admin
export const POST = handle(async (request: Request) =>
  json(await createCredential(DEFAULT_WORKSPACE_ID, await readJsonBody(request, MAX_BODY)), { status: 201 }),
);
