import { handle, idParam } from "@/lib/server/http";
import { exportWorkflow } from "@/lib/server/workflows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/workflows/:id/export → the document as a `<name>.aura.json` download */
export const GET = handle(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { fileName, document } = await exportWorkflow(idParam((await params).id, "Workflow"));
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return new Response(`${JSON.stringify(document, null, 2)}\n`, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "cache-control": "no-store",
    },
  });
});
