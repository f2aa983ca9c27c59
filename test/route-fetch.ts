/**
 * A `fetch` that hands each request straight to the matching Next route handler in this process (no
 * server, no port), so the typed client (lib/api/aura-client.ts) can be tested against the real
 * handlers and their real answers.
 */
import { join } from "node:path";
import { repoRoot, routeFiles } from "./route-files";

type Handler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const routes = routeFiles().map((r) => {
  const names: string[] = [];
  const pattern = new RegExp(
    "^" +
      r.path.replace(/[.]/g, "\\.").replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return "([^/]+)";
      }) +
      "$",
  );
  return { ...r, pattern, names };
});

// Static segments win over parameters (/api/workflows/import before /api/workflows/{id}).
routes.sort((a, b) => a.names.length - b.names.length);

/** fetch over the route handlers; unknown paths answer 404 like Next does. */
export const routeFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const { pathname } = new URL(request.url);
  for (const route of routes) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    const mod = (await import(join(repoRoot, route.file))) as Record<string, Handler | undefined>;
    const handler = mod[request.method.toUpperCase()];
    if (!handler) return new Response(null, { status: 405 });
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    return handler(request, { params: Promise.resolve(params) });
  }
  return new Response("Not found", { status: 404 });
};
