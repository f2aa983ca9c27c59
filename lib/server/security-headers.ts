// The security headers of every response, as pure values: next.config.ts headers() sets the shared
// ones on everything (pages, API routes, static files) and a locked-down CSP on API and _next
// responses; proxy.ts sets the pages' CSP with a fresh nonce per request. No "server-only": next.config
// imports this file outside the Next bundles.

/** Headers every response carries. */
export const SHARED_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Older browsers that ignore CSP frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * The CSP of JSON, SSE, exports and build assets: nothing may load or run inside such a response even
 * if a browser is tricked into rendering it as a document, and nobody may frame it.
 */
export const LOCKED_DOWN_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The CSP of build assets (/_next/*). A web worker runs under the CSP of its own script's response,
 * and Next's worker chunks load further chunks from 'self': so scripts and fetches from this origin,
 * nothing else; no framing, no plugins.
 */
export const ASSET_CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The request header that carries the page's nonce from proxy.ts to the root layout. */
export const NONCE_HEADER = "x-nonce";

/**
 * The CSP of a page. Scripts: the app's own files ('self': Next's chunks, the layout and topology
 * web workers) and inline scripts that carry this request's nonce (Next's bootstrap and flight data,
 * which Next marks itself, and the layout's theme script). No 'unsafe-inline' for scripts, no eval in
 * production ('unsafe-eval' only in development, where React needs it for error overlays).
 * Styles keep 'unsafe-inline': React Flow and the canvas set style attributes in server-rendered HTML,
 * which no nonce can cover; an injected style cannot run code.
 */
export function pageCsp(nonce: string, options: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // Same-origin fetches and the Socket.IO websocket (ws: of the same host counts as 'self').
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce: 16 random bytes, base64 (Web Crypto, so it works in any runtime). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
