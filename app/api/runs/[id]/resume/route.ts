import { handle, idParam, json } from "@/lib/server/http";
import { resumeRun } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** POST /api/runs/:id/resume: continues a failed or cancelled run from where it stopped (same run) → 202 { runId, status: "queued" }; 409 RUN_STATE_CONFLICT otherwise. */
export const POST = handle(async (_request: Request, { params }: Ctx) => json(await resumeRun(idParam((await params).id, "Run")), { status: 202 }));
