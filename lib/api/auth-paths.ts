/**
 * Pure rules about where the browser may go around sign-in: which pages are open to anyone (the
 * same list as the server's gate in lib/server/gate.ts), and which `next` targets are safe to follow
 * after signing in (no open redirect to another site).
 */
const OPEN_PAGES = [/^\/sign-in\/?$/, /^\/setup\/?$/, /^\/invite\/[^/]+\/?$/, /^\/reset\/[^/]+\/?$/];

/** True for the pages a visitor who is not signed in may open (they show no app chrome). */
export function isOpenPage(pathname: string): boolean {
  return OPEN_PAGES.some((p) => p.test(pathname));
}

/**
 * The path to go to after signing in, from an untrusted `next` value: only a same-site path that
 * starts with one "/" is followed ("//evil.com", "/\evil.com", "https://…", control characters and
 * the sign-in and setup pages themselves fall back to "/"; an invitation link is fine to come back to).
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return "/";
  if (!raw.startsWith("/") || raw.startsWith("//")) return "/";
  // Browsers treat "\" like "/" in URLs ("/\evil.com" is protocol-relative); control characters hide tricks.
  if (raw.includes("\\") || hasControlCharacter(raw)) return "/";
  let url: URL;
  try {
    url = new URL(raw, "http://same.invalid");
  } catch {
    return "/";
  }
  if (url.origin !== "http://same.invalid") return "/";
  if (/^\/(sign-in|setup)\/?$/.test(url.pathname)) return "/";
  return url.pathname + url.search + url.hash;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Where a browser that lost its session goes: the sign-in page, coming back to `current` afterwards. */
export function signInPath(current: string): string {
  const next = safeNextPath(current);
  return next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`;
}
