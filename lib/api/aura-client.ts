// The typed client of the Aura HTTP API for programs (the CLI's server mode, benchmarks, tests, scripts).
// It is written over the same zod schemas as the route handlers and the OpenAPI document: every answer
// is parsed with its schema, and every failure is an ApiRequestError with the server's code.
import type { z } from "zod";
import { responseSchemas, type ResponseSchemaName } from "@/lib/contracts/openapi-schemas";
import type { ApiError, ApprovalBodySchema, CreateTokenBodySchema, ForkBodySchema, PutTriggersBodySchema, RunEvent, StartRunBodySchema } from "@/lib/contracts";
import { RunEventSchema } from "@/lib/contracts";
import { ApiRequestError } from "./client";
import { readSse } from "./sse";

export { ApiRequestError };

type Parsed<N extends ResponseSchemaName> = z.output<(typeof responseSchemas)[N]>;
type Query = Record<string, string | number | boolean | undefined>;

export interface AuraClientOptions {
  /** Where the server is, e.g. http://localhost:3000 (a trailing slash is fine). */
  baseUrl: string;
  /** An API token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** A fetch to use instead of the global one (tests hand requests straight to the route handlers). */
  fetch?: typeof fetch;
}

interface CallOptions {
  query?: Query;
  body?: unknown;
  /** Statuses (besides 2xx) that are answers, not errors: a lastNode webhook's 500 carries the run. */
  okStatuses?: number[];
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** An answer whose status matters (200 finished vs 202 still going). */
export interface StatusAnswer<T> {
  status: number;
  data: T;
}

/** The error a 401 turns into: how to get a token, whatever the server said. */
export const UNAUTHORIZED_HINT =
  "The server wants an API token. Create one in the app (Settings → API tokens (/settings/tokens)) or use the AURA_BOOTSTRAP_TOKEN the server was started with, then pass it as AURA_TOKEN=<token> or --token <token>.";

const enc = encodeURIComponent;

export class AuraClient {
  readonly baseUrl: string;
  private readonly token?: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: AuraClientOptions) {
    let url: URL | undefined;
    try {
      url = new URL(options.baseUrl);
    } catch {
      /* reported below */
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
      throw new ApiRequestError(0, "BAD_BASE_URL", `"${options.baseUrl}" is not a server URL; use e.g. http://localhost:3000.`);
    this.baseUrl = url.toString().replace(/\/+$/, "");
    this.token = options.token || undefined;
    this.fetchImpl = options.fetch ?? ((...args) => fetch(...args));
  }

  /** Sends one request; non-2xx answers (other than `okStatuses`) become ApiRequestError. */
  async raw(method: string, path: string, options: CallOptions & { accept?: string } = {}): Promise<Response> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: options.accept ?? "application/json", ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await this.fetchImpl(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: options.signal });
    } catch (e) {
      throw new ApiRequestError(0, "NETWORK_ERROR", `Could not reach ${this.baseUrl}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.ok || options.okStatuses?.includes(res.status)) return res;
    throw await errorOf(res);
  }

  private async call<N extends ResponseSchemaName>(method: string, path: string, schema: N, options: CallOptions = {}): Promise<StatusAnswer<Parsed<N>>> {
    const res = await this.raw(method, path, options);
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new ApiRequestError(res.status, "INVALID_RESPONSE", `${method} ${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    const parsed = responseSchemas[schema].safeParse(json);
    if (!parsed.success)
      throw new ApiRequestError(
        res.status,
        "INVALID_RESPONSE",
        `${method} ${path} answered ${res.status} with a body that is not a ${schema}: ${parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
          .join("; ")}`,
      );
    return { status: res.status, data: parsed.data as Parsed<N> };
  }

  private async get<N extends ResponseSchemaName>(path: string, schema: N, query?: Query): Promise<Parsed<N>> {
    return (await this.call("GET", path, schema, { query })).data;
  }

  // system
  health = () => this.call("GET", "/api/health", "Health", { okStatuses: [503] });
  openApi = () => this.get("/api/openapi.json", "JsonDocument");
  templates = () => this.get("/api/templates", "TemplateList");

  // who am I, and my API tokens
  /** The caller (user, current workspace and role, all workspaces) and how it authenticated. */
  whoami = () => this.get("/api/auth/session", "SessionInfo");
  /** The caller's tokens for this workspace (names, roles, first characters; never the secret). */
  listTokens = async () => (await this.get("/api/tokens", "TokenList")).tokens;
  /** A new token; its secret `token` is in this answer only. The role is at most the caller's. */
  createToken = async (body: z.input<typeof CreateTokenBodySchema>) => (await this.call("POST", "/api/tokens", "CreatedToken", { body })).data;
  /** Revokes one of the caller's tokens (204); 404 NOT_FOUND for a token that is not theirs. */
  revokeToken = async (id: string): Promise<void> => {
    await this.raw("DELETE", `/api/tokens/${enc(id)}`);
  };

  // workflows and versions
  listWorkflows = async () => (await this.get("/api/workflows", "WorkflowList")).workflows;
  getWorkflow = (id: string) => this.get(`/api/workflows/${enc(id)}`, "WorkflowDetail");
  createWorkflow = async (body: { name?: string; document?: unknown }) => (await this.call("POST", "/api/workflows", "WorkflowDetail", { body })).data;
  saveWorkflow = async (id: string, body: { baseVersion: number; document: unknown; force?: boolean }) =>
    (await this.call("PUT", `/api/workflows/${enc(id)}`, "WorkflowDetail", { body })).data;
  renameWorkflow = async (id: string, name: string) => (await this.call("PUT", `/api/workflows/${enc(id)}`, "WorkflowDetail", { body: { name } })).data;
  deleteWorkflow = async (id: string) => (await this.call("DELETE", `/api/workflows/${enc(id)}`, "Deleted")).data;
  importWorkflow = async (document: unknown) => (await this.call("POST", "/api/workflows/import", "ImportAnswer", { body: document })).data;
  exportWorkflow = (id: string) => this.get(`/api/workflows/${enc(id)}/export`, "WorkflowDocument");
  listVersions = async (id: string) => (await this.get(`/api/workflows/${enc(id)}/versions`, "VersionList")).versions;
  getVersion = (id: string, version: number) => this.get(`/api/workflows/${enc(id)}/versions/${version}`, "WorkflowDetail");
  restoreVersion = async (id: string, version: number) =>
    (await this.call("POST", `/api/workflows/${enc(id)}/versions/${version}/restore`, "WorkflowDetail")).data;
  diff = (id: string, from: number, to?: number) => this.get(`/api/workflows/${enc(id)}/diff`, "Diff", { from, to });
  topology = (id: string, query: { runs?: number; before?: string; view?: "report" | "stats" } = {}) =>
    this.get(`/api/workflows/${enc(id)}/topology`, "TopologyAnswer", query);
  getTriggers = async (id: string) => (await this.get(`/api/workflows/${enc(id)}/triggers`, "TriggerList")).triggers;
  putTriggers = async (id: string, body: z.input<typeof PutTriggersBodySchema>) =>
    (await this.call("PUT", `/api/workflows/${enc(id)}/triggers`, "TriggerList", { body })).data.triggers;

  // runs
  /** Starts a run: 202 at once, or with `wait` (seconds) 200 when it stopped in time, else 202. */
  startRun = (id: string, body: z.input<typeof StartRunBodySchema> = {}, options: { wait?: number; signal?: AbortSignal } = {}) =>
    this.call("POST", `/api/workflows/${enc(id)}/runs`, "RunAccepted", { body, query: { wait: options.wait }, signal: options.signal });
  /** Starts a run and yields its events as they happen (SSE), ending with the terminal event. */
  async *streamNewRun(id: string, body: z.input<typeof StartRunBodySchema> = {}, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const res = await this.raw("POST", `/api/workflows/${enc(id)}/runs`, { body, accept: "text/event-stream", signal });
    yield* runEvents(res);
  }
  /** Joins a run's events after `after` (-1: from the first), ending with the terminal event. */
  async *followRun(runId: string, after = -1, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const res = await this.raw("GET", `/api/runs/${enc(runId)}/stream`, { query: { after }, accept: "text/event-stream", signal });
    if (res.status === 204) return;
    yield* runEvents(res);
  }
  getRun = (runId: string) => this.get(`/api/runs/${enc(runId)}`, "RunDetail");
  listRuns = (query: Query = {}) => this.get("/api/runs", "RunPage", query);
  listDeadLetters = (query: Query = {}) => this.get("/api/dead-letters", "RunPage", query);
  listEvents = (runId: string, query: { after?: number; limit?: number } = {}) => this.get(`/api/runs/${enc(runId)}/events`, "EventPage", query);
  cancelRun = async (runId: string, reason?: string) =>
    (await this.call("POST", `/api/runs/${enc(runId)}/cancel`, "RunActionAnswer", { body: { reason } })).data;
  resumeRun = async (runId: string) => (await this.call("POST", `/api/runs/${enc(runId)}/resume`, "RunActionAnswer")).data;
  retryRun = async (runId: string) => (await this.call("POST", `/api/runs/${enc(runId)}/retry`, "RunActionAnswer")).data;
  answerApproval = async (runId: string, nodeId: string, body: z.input<typeof ApprovalBodySchema>) =>
    (await this.call("POST", `/api/runs/${enc(runId)}/approvals/${enc(nodeId)}`, "RunActionAnswer", { body })).data;
  listCheckpoints = (runId: string, limit?: number) => this.get(`/api/runs/${enc(runId)}/checkpoints`, "CheckpointList", { limit });
  forkRun = async (runId: string, body: z.input<typeof ForkBodySchema>) =>
    (await this.call("POST", `/api/runs/${enc(runId)}/fork`, "RunActionAnswer", { body })).data;
  overview = (query: { from?: string; to?: string; bucket?: string; workflowId?: string } = {}) => this.get("/api/stats/overview", "Overview", query);

  /**
   * Calls a webhook URL (as GET /api/workflows/:id/triggers lists it, relative or absolute). The answer
   * depends on the trigger's response mode: `lastNode` answers the Output's value (any JSON, with the
   * status the Output sets), a failed run 500 with `{ error, runId }`, a run still going 202.
   */
  async callWebhook(url: string, input: Record<string, unknown> = {}, signal?: AbortSignal): Promise<StatusAnswer<unknown>> {
    const path = url.startsWith("http") ? new URL(url).pathname : url;
    const res = await this.raw("POST", path, { body: input, okStatuses: [500], signal });
    const text = await res.text();
    return { status: res.status, data: text ? (JSON.parse(text) as unknown) : null };
  }
}

/** The API's error shape turned into ApiRequestError; a 401 says how to get a token. */
async function errorOf(res: Response): Promise<ApiRequestError> {
  const text = await res.text().catch(() => "");
  let err: ApiError["error"] | undefined;
  try {
    err = (JSON.parse(text) as Partial<ApiError>).error;
  } catch {
    /* not JSON: the status and text say it */
  }
  const code = err?.code ?? (res.status === 401 ? "UNAUTHORIZED" : `HTTP_${res.status}`);
  const message = err?.message ?? (text.slice(0, 200) || res.statusText || `HTTP ${res.status}`);
  return new ApiRequestError(res.status, code, res.status === 401 ? `${message} ${UNAUTHORIZED_HINT}` : message, err?.issues, err?.currentVersion);
}

async function* runEvents(res: Response): AsyncGenerator<RunEvent> {
  if (!res.body) return;
  for await (const m of readSse(res.body)) {
    let data: unknown;
    try {
      data = JSON.parse(m.data);
    } catch {
      throw new ApiRequestError(res.status, "INVALID_RESPONSE", `An SSE message is not JSON: ${m.data.slice(0, 200)}`);
    }
    const event = RunEventSchema.safeParse(data);
    if (!event.success) throw new ApiRequestError(res.status, "INVALID_RESPONSE", `An SSE message is not a run event: ${event.error.issues[0]?.message}`);
    yield event.data;
  }
}
