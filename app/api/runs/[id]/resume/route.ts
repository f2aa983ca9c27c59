import { route } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { resumeRun } from "@/lib/server/runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/runs/:id/resume: continues a failed or cancelled run from where it stopped (same run) → 202 { runId, status: "queued" }; 409 RUN_STATE_CONFLICT otherwise. */
export const POST = route<{ id: string }>("editor", async (_request, { params }) => json(await resumeRun(params.id), { status: 202 }));
