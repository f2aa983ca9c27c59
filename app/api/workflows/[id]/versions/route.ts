import { handle, idParam, json } from "@/lib/server/http";
import { listVersions } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workflows/:id/versions → { versions: VersionSummary[] } (newest first) */
export const GET = handle(async (_request: Request, { params }: { params: Promise<{ id: string }> }) =>
  json({ versions: await listVersions(idParam((await params).id, "Workflow")) }),
);
