import "server-only";
import type { IncomingMessage } from "node:http";
import { CLIENT_IP_HEADER, CLIENT_TLS_HEADER, connectionFacts, isSetupPending, resolveCaller } from "@/lib/auth";
import { getDatabase } from "@/lib/db/database";

/**
 * What server.ts does with every request before Next or Socket.IO see it: stamp the client's address
 * and TLS flag (overwriting whatever the client sent), and send a browser that is not signed in to
 * the sign-in (or owner setup) page. API routes authorize themselves (api-route.ts).
 */
const trustProxy = () => process.env.AURA_TRUST_PROXY === "1";

/** Overwrites the client-address headers of an incoming request with what the connection says. */
export function stampClient(req: IncomingMessage): void {
  const socket = req.socket as IncomingMessage["socket"] & { encrypted?: boolean };
  const { ip, tls } = connectionFacts(socket.remoteAddress, !!socket.encrypted, req.headers["x-forwarded-for"], req.headers["x-forwarded-proto"], trustProxy());
  req.headers[CLIENT_IP_HEADER] = ip;
  req.headers[CLIENT_TLS_HEADER] = tls ? "1" : "0";
}

/** Pages anyone may open (they explain themselves and call public routes). */
const OPEN_PAGES = [/^\/sign-in\/?$/, /^\/setup\/?$/, /^\/invite\/[^/]+\/?$/, /^\/reset\/[^/]+\/?$/];

function toHeaders(raw: IncomingMessage["headers"]): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (Array.isArray(v)) for (const one of v) headers.append(k, one);
    else if (v !== undefined) headers.set(k, v);
  }
  return headers;
}

/**
 * For a page request (not /api, not Next's assets, not a static file): where to send a visitor who
 * is not signed in, or null to let the request through.
 */
export async function pageRedirect(req: IncomingMessage): Promise<string | null> {
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  const url = new URL(req.url ?? "/", "http://x");
  const path = url.pathname;
  if (path.startsWith("/api/") || path.startsWith("/_next/") || /\.[a-z0-9]+$/i.test(path)) return null;
  if (OPEN_PAGES.some((p) => p.test(path))) return null;
  const db = await getDatabase();
  if (await resolveCaller(db, toHeaders(req.headers))) return null;
  if (await isSetupPending(db)) return "/setup";
  return `/sign-in?next=${encodeURIComponent(path + url.search)}`;
}

/** The workspace of a Socket.IO connection: its session cookie, or `auth: { token }` / an Authorization header. Null refuses it. */
export async function socketWorkspace(handshake: {
  headers: IncomingMessage["headers"];
  address: string;
  auth: Record<string, unknown>;
}): Promise<string | null> {
  const headers = toHeaders(handshake.headers);
  headers.set(CLIENT_IP_HEADER, handshake.address);
  if (typeof handshake.auth?.token === "string") headers.set("authorization", `Bearer ${handshake.auth.token}`);
  const caller = await resolveCaller(await getDatabase(), headers);
  return caller?.workspaceId ?? null;
}
