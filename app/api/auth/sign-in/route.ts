import { SignInBodySchema } from "@/lib/contracts";
import { signIn } from "@/lib/auth";
import { publicRoute } from "@/lib/server/api-route";
import { json, parseInput, readJsonBody } from "@/lib/server/http";
import { withCookies } from "@/lib/server/auth-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/auth/sign-in { email, password } → 200 with the session cookie; 401 INVALID_CREDENTIALS; 429 RATE_LIMITED (Retry-After). */
export const POST = publicRoute(async (request, { db }) => {
  const body = parseInput(SignInBodySchema, await readJsonBody(request, 16 * 1024));
  const { userId, headers } = await signIn(db, body, request.headers);
  return json({ userId }, { headers: withCookies(headers) });
});
