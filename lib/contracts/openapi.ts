// Builds the OpenAPI 3.1 document of the HTTP API from the route table (openapi-routes.ts) and the zod
// schemas (openapi-schemas.ts) with zod's own JSON Schema generator: OpenAPI 3.1 schemas ARE JSON
// Schema 2020-12, so no adapter library is needed. Served at GET /api/openapi.json.
import { z } from "zod";
import { requestSchemas, responseSchemas } from "./openapi-schemas";
import { ACCOUNT_ROUTES } from "./openapi-account-routes";
import { PATH_PARAMS, QUERY_DOCS, ROUTES, type ResponseSpec, type RouteSpec } from "./openapi-routes";

type Json = Record<string, unknown>;

/**
 * The session cookie. better-auth names it `<cookiePrefix>.session_token` (lib/auth/better-auth.ts sets
 * the prefix "aura"), with `__Secure-` in front when the request came over HTTPS (useSecureCookies).
 */
export const SESSION_COOKIE = "aura.session_token";
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

const ERROR_TEXT: Record<number, string> = {
  400: "Bad request: invalid JSON, body, query or input (`issues` lists each problem).",
  401: "UNAUTHENTICATED: no valid session or API token.",
  403: "FORBIDDEN: the caller's role does not allow this (or a wrong webhook secret); CROSS_ORIGIN: a cookie-authenticated change from another site; SETUP_PENDING: the owner account does not exist yet.",
  404: "Not found (also for an id of another workspace).",
  409: "Conflict with the current state (VERSION_CONFLICT, RUN_STATE_CONFLICT).",
  410: "Gone.",
  413: "PAYLOAD_TOO_LARGE: the body is too large.",
  415: "UNSUPPORTED_MEDIA_TYPE: the body is not sent as application/json.",
  429: "RATE_LIMITED: too many attempts; Retry-After says when to try again.",
  503: "The database is unavailable.",
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Every schema of one registry as components (zod writes $id/$schema per schema: dropped, refs stay). */
function components(schemas: Record<string, z.ZodType>, io: "input" | "output"): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, {
    io,
    target: "draft-2020-12",
    // Transforms (e.g. "1h" → ms) have no JSON Schema on their output side: described as any value.
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(out).map(([id, s]) => {
      const { $schema: _schema, $id: _id, ...rest } = s as Json;
      return [id, rest];
    }),
  );
}

function parameters(route: RouteSpec): Json[] {
  const params: Json[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    description: PATH_PARAMS[name] ?? name,
    schema: name === "version" ? { type: "string", pattern: "^[1-9][0-9]{0,8}$" } : { type: "string" },
  }));
  if (route.query) {
    const schema = z.toJSONSchema(route.query, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, s] of Object.entries(schema.properties ?? {}))
      params.push({ name, in: "query", required: schema.required?.includes(name) ?? false, description: QUERY_DOCS[name], schema: s });
  }
  for (const h of route.headers ?? [])
    params.push({ name: h.name, in: "header", required: h.required ?? false, description: h.description, schema: { type: "string" } });
  return params;
}

const SSE_CONTENT = {
  "text/event-stream": {
    schema: { type: "string", description: "Server-Sent Events: `id:` the event's seq, `event:` its type, `data:` a RunEvent as JSON." },
    // OpenAPI 3.1 has no schema per SSE item: the extension names it for readers and generators.
    "x-item-schema": ref("RunEvent"),
  },
};

function response(spec: ResponseSpec): Json {
  const out: Json = { description: spec.description };
  if (spec.headers)
    out.headers = Object.fromEntries(Object.entries(spec.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]));
  const format = spec.format ?? "json";
  if (format === "sse") out.content = SSE_CONTENT;
  else if (format === "text") out.content = { "text/plain": { schema: { type: "string" } } };
  else if (spec.schema) out.content = { "application/json": { schema: ref(spec.schema) }, ...(spec.alsoSse ? SSE_CONTENT : {}) };
  return out;
}

const SECURITY_BY_ROLE = (route: RouteSpec): Json[] | undefined => {
  if (route.role === "public") return [];
  if (route.role === "webhook") return route.path.includes("{secret}") ? [] : [{ webhookSecret: [] }];
  return undefined; // the global requirement: bearer token or session cookie
};

function operation(route: RouteSpec): Json {
  const responses: Json = {};
  for (const [status, spec] of Object.entries(route.responses)) responses[status] = response(spec);
  const needsAccount = route.role !== "public" && route.role !== "webhook";
  const errors = [...route.errors, ...(needsAccount ? [401, 403] : [])];
  for (const status of [...new Set(errors)].sort()) {
    responses[status] ??= {
      description: route.errorNotes?.[status] ?? ERROR_TEXT[status] ?? "Error.",
      ...(status === 429 ? { headers: { "Retry-After": { description: "Seconds until the next attempt may succeed.", schema: { type: "string" } } } } : {}),
      content: { "application/json": { schema: ref("ApiError") } },
    };
  }
  const security = SECURITY_BY_ROLE(route);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    "x-aura-role": route.role,
    ...(security ? { security } : {}),
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required,
            ...(route.body.description ? { description: route.body.description } : {}),
            content: { "application/json": { schema: ref(route.body.schema) } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of every route under app/api. */
export function buildOpenApiDocument(options: { version?: string } = {}): Json {
  const paths: Record<string, Json> = {};
  for (const route of [...ROUTES, ...ACCOUNT_ROUTES]) (paths[route.path] ??= {})[route.method] = operation(route);
  const schemas = { ...components(responseSchemas, "output"), ...components(requestSchemas, "input") };
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Aura Studio API",
      version: options.version ?? "0.1.0",
      description:
        "Design, version and run multi-agent workflows. Every body is JSON checked with zod; errors are `{ error: { code, message, issues? } }`. Authenticate with `Authorization: Bearer <token>` (scripts, the CLI) or the browser's session cookie.",
    },
    servers: [{ url: "/", description: "This server" }],
    security: [{ bearerAuth: [] }, { cookieSession: [] }],
    tags: [
      "Workflows",
      "Versions",
      "Runs",
      "Time travel",
      "Triggers",
      "Webhooks",
      "Accounts",
      "API tokens",
      "Credentials",
      "Audit",
      "Storage",
      "Providers",
      "System",
    ].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token: `Authorization: Bearer <token>`." },
        cookieSession: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: `The session cookie set by signing in (POST /api/auth/sign-in, /api/setup, /api/access-links/{token}); named ${SECURE_SESSION_COOKIE} over HTTPS. Cookie-authenticated changes from another site are refused (403 CROSS_ORIGIN).`,
        },
        webhookSecret: { type: "apiKey", in: "header", name: "x-aura-webhook-secret", description: "A webhook trigger's secret." },
      },
    },
  };
}
