import "server-only";
import { WORKSPACE_COOKIE, isSecureRequest } from "@/lib/auth";

/** The origin links are built on: AURA_PUBLIC_URL, else the request's own host. */
export function publicOrigin(request: Request): string {
  const configured = process.env.AURA_PUBLIC_URL?.replace(/\/+$/, "");
  if (configured) return configured;
  const host = request.headers.get("host") ?? new URL(request.url).host;
  return `${isSecureRequest(request.headers) ? "https" : "http"}://${host}`;
}

/** The Set-Cookie value that selects a workspace for this browser. */
export function workspaceCookie(request: Request, workspaceId: string): string {
  const secure = isSecureRequest(request.headers) ? "; Secure" : "";
  return `${WORKSPACE_COOKIE}=${encodeURIComponent(workspaceId)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000${secure}`;
}

/** Headers with the given Set-Cookie headers (better-auth's) plus optional extra cookies. */
export function withCookies(from: Headers, ...extra: string[]): Headers {
  const headers = new Headers();
  for (const c of from.getSetCookie()) headers.append("set-cookie", c);
  for (const c of extra) headers.append("set-cookie", c);
  return headers;
}
