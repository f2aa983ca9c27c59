// The API reference page, rendered on the server from the OpenAPI document: plain HTML and CSS, no
// script, no CDN, nothing to download (CSP-friendly and readable with JavaScript off).
import { refName, schemaType, type JsonSchema } from "./schema-type";

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}
interface Media {
  schema?: JsonSchema;
  "x-item-schema"?: JsonSchema;
}
interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  "x-aura-role"?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media>; headers?: Record<string, { description?: string }> }>;
}
/** The parts of an OpenAPI 3.1 document the page shows. */
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string; description?: string }>;
  };
}

const METHOD_COLOR: Record<string, string> = {
  get: "bg-[#0369a1] text-white",
  post: "bg-[#15703a] text-white",
  put: "bg-[#a14a0b] text-white",
  patch: "bg-[#a14a0b] text-white",
  delete: "bg-[#b91c1c] text-white",
};

const anchor = (op: Operation) => `op-${op.operationId}`;
const schemaAnchor = (name: string) => `schema-${name}`;

/** A type summary with named components linked to their section. */
function TypeRef({ schema }: { schema?: JsonSchema }) {
  if (schema?.$ref) {
    const name = refName(schema.$ref);
    return (
      <a href={`#${schemaAnchor(name)}`} className="font-mono text-accent underline-offset-2 hover:underline">
        {name}
      </a>
    );
  }
  return <code className="font-mono">{schemaType(schema)}</code>;
}

function Method({ method }: { method: string }) {
  return (
    <span className={`inline-block w-16 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold uppercase ${METHOD_COLOR[method] ?? ""}`}>
      {method}
    </span>
  );
}

function Auth({ op }: { op: Operation }) {
  const role = op["x-aura-role"];
  if (op.security && op.security.length === 0)
    return <span className="text-xs text-muted">{role === "webhook" ? "no account: the webhook secret is in the path" : "public"}</span>;
  if (op.security?.some((s) => "webhookSecret" in s)) return <span className="text-xs text-muted">no account: header x-aura-webhook-secret</span>;
  return <span className="text-xs text-muted">bearer token or session · role {role ?? "?"} or higher</span>;
}

function OperationSection({ path, method, op }: { path: string; method: string; op: Operation }) {
  const params = op.parameters ?? [];
  const body = op.requestBody?.content["application/json"];
  return (
    <section id={anchor(op)} className="scroll-mt-4 rounded-lg border border-border bg-panel p-4" data-operation={`${method.toUpperCase()} ${path}`}>
      <h3 className="flex flex-wrap items-center gap-2">
        <Method method={method} />
        <code className="font-mono text-sm font-semibold break-all">{path}</code>
      </h3>
      <p className="mt-2 font-medium">{op.summary}</p>
      {op.description && <p className="mt-1 text-sm text-muted">{op.description}</p>}
      <div className="mt-1">
        <Auth op={op} />
      </div>
      {params.length > 0 && (
        <table className="mt-3 w-full text-left text-sm">
          <caption className="mb-1 text-left text-xs font-semibold tracking-wide text-muted uppercase">Parameters</caption>
          <tbody>
            {params.map((p) => (
              <tr key={`${p.in}:${p.name}`} className="border-t border-border align-top">
                <td className="py-1 pr-3 font-mono whitespace-nowrap">
                  {p.name}
                  {p.required && <span className="text-danger">*</span>}
                </td>
                <td className="py-1 pr-3 text-xs whitespace-nowrap text-muted">{p.in}</td>
                <td className="py-1 pr-3">
                  <TypeRef schema={p.schema} />
                </td>
                <td className="py-1 text-muted">{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {body && (
        <p className="mt-3 text-sm">
          <span className="text-xs font-semibold tracking-wide text-muted uppercase">Body</span> <TypeRef schema={body.schema} />{" "}
          <span className="text-muted">{op.requestBody?.required ? "(required)" : "(optional)"}</span>
        </p>
      )}
      <table className="mt-3 w-full text-left text-sm">
        <caption className="mb-1 text-left text-xs font-semibold tracking-wide text-muted uppercase">Responses</caption>
        <tbody>
          {Object.entries(op.responses).map(([status, r]) => (
            <tr key={status} className="border-t border-border align-top">
              <td className={`py-1 pr-3 font-mono ${status.startsWith("2") ? "text-success" : "text-danger"}`}>{status}</td>
              <td className="py-1 pr-3">
                {Object.entries(r.content ?? {}).map(([type, media]) => (
                  <div key={type}>
                    <span className="text-xs text-muted">{type}</span> <TypeRef schema={media["x-item-schema"] ?? media.schema} />
                  </div>
                ))}
              </td>
              <td className="py-1 text-muted">{r.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SchemaSection({ name, schema }: { name: string; schema: JsonSchema }) {
  const props = schema.properties ? Object.entries(schema.properties) : [];
  return (
    <details id={schemaAnchor(name)} className="scroll-mt-4 rounded-lg border border-border bg-panel p-3">
      <summary className="cursor-pointer font-mono text-sm font-semibold">
        {name} <span className="font-normal text-muted">{props.length ? "object" : schemaType(schema)}</span>
      </summary>
      {props.length > 0 && (
        <table className="mt-2 w-full text-left text-sm">
          <tbody>
            {props.map(([key, value]) => (
              <tr key={key} className="border-t border-border align-top">
                <td className="w-56 py-1 pr-3 font-mono whitespace-nowrap">
                  {key}
                  {schema.required?.includes(key) ? <span className="text-danger">*</span> : "?"}
                </td>
                <td className="py-1 pr-3">
                  <TypeRef schema={value} />
                </td>
                <td className="py-1 text-muted">{value.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {/* tabIndex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable). */}
      <pre tabIndex={0} aria-label={`${name} as JSON Schema`} className="mt-2 max-h-96 overflow-auto rounded bg-panel-2 p-2 text-xs">
        {JSON.stringify(schema, null, 2)}
      </pre>
    </details>
  );
}

/** The whole reference: authentication, operations grouped by tag, then the schemas. */
export function ApiReference({ doc }: { doc: OpenApiDocument }) {
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  const tags = (doc.tags ?? []).map((t) => t.name).filter((t) => operations.some((o) => o.op.tags.includes(t)));
  return (
    <div className="mx-auto flex max-w-7xl gap-6 p-6">
      <nav aria-label="API operations" className="sticky top-0 hidden max-h-[calc(100vh-6rem)] w-64 shrink-0 overflow-auto text-sm lg:block">
        {tags.map((tag) => (
          <div key={tag} className="mb-3">
            <a href={`#tag-${tag.replace(/\s+/g, "-")}`} className="font-semibold">
              {tag}
            </a>
            <ul className="mt-1 space-y-0.5">
              {operations
                .filter((o) => o.op.tags.includes(tag))
                .map(({ path, method, op }) => (
                  <li key={op.operationId}>
                    <a href={`#${anchor(op)}`} className="block truncate rounded px-1 hover:bg-panel-2" title={`${method.toUpperCase()} ${path}`}>
                      <span className="inline-block w-12 font-mono text-[10px] text-muted uppercase">{method}</span>
                      {path.replace(/^\/api/, "")}
                    </a>
                  </li>
                ))}
            </ul>
          </div>
        ))}
        <a href="#schemas" className="font-semibold">
          Schemas
        </a>
      </nav>
      <div className="min-w-0 flex-1 space-y-6">
        <header>
          <h1 className="text-2xl font-semibold">
            {doc.info.title} <span className="text-sm font-normal text-muted">v{doc.info.version} · OpenAPI 3.1</span>
          </h1>
          {doc.info.description && <p className="mt-2 text-muted">{doc.info.description}</p>}
          <p className="mt-2 text-sm">
            Machine-readable:{" "}
            <a href="/api/openapi.json" className="font-mono text-accent underline">
              /api/openapi.json
            </a>{" "}
            (load it into any OpenAPI tool or client generator).
          </p>
          <h2 className="mt-4 text-lg font-semibold">Authentication</h2>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {Object.entries(doc.components.securitySchemes).map(([name, s]) => (
              <li key={name}>
                <span className="font-mono">{name}</span>: {s.type === "http" ? `HTTP ${s.scheme}` : `${s.in} ${s.name}`}. {s.description}
              </li>
            ))}
          </ul>
        </header>
        {tags.map((tag) => (
          <section key={tag} aria-labelledby={`tag-${tag.replace(/\s+/g, "-")}`} className="space-y-3">
            <h2 id={`tag-${tag.replace(/\s+/g, "-")}`} className="scroll-mt-4 text-xl font-semibold">
              {tag}
            </h2>
            {operations
              .filter((o) => o.op.tags.includes(tag))
              .map((o) => (
                <OperationSection key={o.op.operationId} {...o} />
              ))}
          </section>
        ))}
        <section aria-labelledby="schemas" className="space-y-2">
          <h2 id="schemas" className="scroll-mt-4 text-xl font-semibold">
            Schemas
          </h2>
          {Object.entries(doc.components.schemas).map(([name, schema]) => (
            <SchemaSection key={name} name={name} schema={schema} />
          ))}
        </section>
      </div>
    </div>
  );
}
