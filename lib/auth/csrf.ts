/**
 * Cross-site request check for cookie-authenticated changes (after Go 1.25's CrossOriginProtection):
 * safe methods pass; Sec-Fetch-Site "same-origin"/"none" passes, any other value fails; else an Origin
 * header must match the Host; with neither header the request is not from a browser and passes.
 * Returns why a request is refused, or null.
 */
export function crossOriginRefusal(request: Request): string | null {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return null;
  const site = request.headers.get("sec-fetch-site");
  if (site) return site === "same-origin" || site === "none" ? null : `a ${site} request may not change anything with this site's cookies`;
  const origin = request.headers.get("origin");
  if (!origin) return null;
  const host = request.headers.get("host") ?? new URL(request.url).host;
  try {
    if (new URL(origin).host === host) return null;
  } catch {
    // "null" or garbage: refuse below.
  }
  return `the request's Origin (${origin}) is not this site (${host})`;
}
