/**
 * Next.js proxy (formerly middleware): gives every page request a fresh CSP nonce. The nonce goes to
 * the page's Content-Security-Policy and, in the request, to Next (which marks its own inline scripts
 * with it) and to the root layout (x-nonce, for the theme script). Wiring only: the policy is
 * lib/server/security-headers.ts. API routes and build assets get their headers from next.config.ts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { NONCE_HEADER, newNonce, pageCsp } from "@/lib/server/security-headers";

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Pages and public files (an SVG opened as a document runs no script without the nonce); not the
  // API or Next's build assets, which carry the locked-down policy of next.config.ts.
  matcher: [{ source: "/((?!api/|_next/static/|_next/image).*)" }],
};
