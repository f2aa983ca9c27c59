import { recordAudit } from "@/lib/server/audit";
import { signOut } from "@/lib/auth";
import { publicRoute } from "@/lib/server/api-route";
import { json } from "@/lib/server/http";
import { withCookies } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/auth/sign-out → 200; ends this browser's session and clears its cookies (also when it had none). */
export const POST = publicRoute(async (request, { caller, db }) => {
  const headers = caller?.via === "session" ? await signOut(db, request.headers) : new Headers();
  if (caller?.via === "session") await recordAudit({ workspaceId: caller.workspaceId, action: "auth.sign_out" });
  return json({ ok: true }, { headers: withCookies(headers) });
});
