/**
 * The address of the client, as the custom server saw the TCP connection (server.ts overwrites this
 * header on every request, so a client cannot choose it). Behind a reverse proxy set AURA_TRUST_PROXY=1
 * and the server takes the last address of X-Forwarded-For instead.
 */
export const CLIENT_IP_HEADER = "x-aura-client-ip";
/** Whether the request came over HTTPS (server.ts sets it from the socket, or X-Forwarded-Proto behind a trusted proxy). */
export const CLIENT_TLS_HEADER = "x-aura-client-tls";

/** The client address of a request (or "unknown" outside the custom server, e.g. route handlers called by tests). */
export const clientIp = (headers: Headers): string => headers.get(CLIENT_IP_HEADER) ?? "unknown";

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped form: a client on the machine itself. */
export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The client address and TLS flag for an incoming Node request (used by server.ts). */
export function connectionFacts(
  remoteAddress: string | undefined,
  encrypted: boolean,
  forwardedFor: string | string[] | undefined,
  forwardedProto: string | string[] | undefined,
  trustProxy: boolean,
): { ip: string; tls: boolean } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  if (trustProxy) {
    // The proxy appends the address it saw; earlier entries were written by the client and prove nothing.
    const chain = (first(forwardedFor) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const proto = (first(forwardedProto) ?? "").split(",")[0]?.trim();
    return { ip: chain.at(-1) ?? remoteAddress ?? "unknown", tls: proto ? proto === "https" : encrypted };
  }
  return { ip: remoteAddress ?? "unknown", tls: encrypted };
}
