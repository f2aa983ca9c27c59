// The route table behind GET /api/openapi.json: one entry per exported method of app/api/**/route.ts
// (test/openapi-routes.test.ts fails when a route file or method has no entry, or an entry no route).
// Schemas are named (openapi-schemas.ts); errors are listed by status and share the ApiError shape.
import { z } from "zod";
import { DiffQuerySchema } from "./diff-api";
import type { RequestSchemaName, ResponseSchemaName } from "./openapi-schemas";
import { ListEventsQuerySchema, ListRunsQuerySchema } from "./run-api";
import { WaitQuerySchema } from "./run-call-api";
import { OverviewQuerySchema, TopologyQuerySchema } from "./stats-api";
import { CheckpointsQuerySchema } from "./time-travel-api";

export type HttpMethod = "get" | "post" | "put" | "delete" | "patch";

/**
 * The least role a caller needs (accounts: owner > admin > editor > viewer). "public" needs no session or
 * token; "webhook" is public but answers 403 without the trigger's secret (in the path or a header).
 */
export type RouteRole = "public" | "webhook" | "viewer" | "editor" | "admin" | "owner";

/** How a body is sent: JSON (default), Server-Sent Events, Prometheus text, or a JSON file download. */
export type ResponseFormat = "json" | "sse" | "text" | "download";

export interface ResponseSpec {
  description: string;
  schema?: ResponseSchemaName;
  format?: ResponseFormat;
  /** Also offered as SSE on the same status (the caller chooses with `Accept: text/event-stream`). */
  alsoSse?: boolean;
  headers?: Record<string, string>;
}

export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI form: `/api/runs/{id}` for `app/api/runs/[id]/route.ts`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  role: RouteRole;
  /** Query parameters, described from the zod schema's input side. */
  query?: z.ZodObject;
  /** Request headers the route reads (besides auth). */
  headers?: { name: string; description: string; required?: boolean }[];
  body?: { schema: RequestSchemaName; required: boolean; description?: string };
  responses: Record<number, ResponseSpec>;
  /** Statuses answered with `{ error: { code, message, issues? } }`. */
  errors: number[];
  /** What an error status means for this route (its codes), when the general text says too little. */
  errorNotes?: Record<number, string>;
}

/** What each path parameter holds, by name. */
export const PATH_PARAMS: Record<string, string> = {
  id: "A workflow id (wf_…) under /api/workflows, a run id (run_…) under /api/runs; else the id of the token, invitation or credential.",
  userId: "A member's user id (from GET /api/members).",
  token: "The secret of an invitation or reset link (the last segment of its URL).",
  version: "A version number of the workflow (1, 2, …).",
  nodeId: "The id of the Human approval node that waits.",
  workflowId: "The workflow the webhook trigger belongs to.",
  secret: "The webhook trigger's secret (from GET /api/workflows/{id}/triggers).",
};

/** Query parameters' meaning, by name (zod's JSDoc does not reach the runtime). */
export const QUERY_DOCS: Record<string, string> = {
  wait: "Hold the request up to this many seconds (at most AURA_MAX_WAIT_SECONDS, default 300) for the run's answer.",
  workflowId: "Only runs of this workflow.",
  status: "One status or several, comma-separated: queued, running, waiting, succeeded, failed, cancelled.",
  trigger: "One trigger or several, comma-separated: ui, api, webhook, schedule, cli, retry, fork.",
  from: "Start of the window: ISO 8601 or epoch milliseconds.",
  to: "End of the window (exclusive): ISO 8601 or epoch milliseconds.",
  q: 'Search: "run_…" matches run ids by prefix, anything else workflow names.',
  cursor: "nextCursor of the previous page.",
  limit: "Page size.",
  after: "The last event seq the caller has (-1: from the first event).",
  bucket: 'Bucket width: "5m", "1h", "1d", milliseconds, or "auto".',
  runs: "How many of the latest finished runs to learn from.",
  view: '"report" (default): the whole analysis; "stats": the observed stats only.',
  before: "Only runs created before this time (ISO 8601 or epoch ms).",
  action: "One audit action or several, comma-separated (auth.sign_in, member.invited, credential.created, …).",
  actorId: "Only entries of this user.",
};

const TopologyRouteQuery = TopologyQuerySchema.extend({ view: z.enum(["report", "stats"]).optional(), before: z.string().optional() });
const StreamQuery = z.object({
  after: z
    .string()
    .regex(/^-?\d+$/)
    .optional(),
});
const LAST_EVENT_ID = { name: "Last-Event-ID", description: "The last event seq the caller has (what EventSource sends on reconnect); wins over ?after." };
const ACCEPT_SSE = { name: "Accept", description: "`text/event-stream` streams the run's events as Server-Sent Events instead of answering JSON." };
const RUN_HEADERS = { location: "/api/runs/{runId}", "x-aura-run-id": "The new run's id." };
const detail = (description: string): ResponseSpec => ({ description, schema: "WorkflowDetail" });
const action = (description: string): Record<number, ResponseSpec> => ({ 202: { description, schema: "RunActionAnswer" } });

const webhookResponses: Record<number, ResponseSpec> = {
  200: {
    description: "lastNode: the Output node's value as the JSON body (an Output may set another status and headers). stream: the run's events.",
    schema: "WebhookResult",
    alsoSse: true,
  },
  202: { description: "immediately: the run started. lastNode: still running at the server's maximum wait, or waiting for a human.", schema: "RunAccepted" },
  500: { description: "lastNode: the run failed or was cancelled.", schema: "WebhookRunFailed" },
};

export const ROUTES: RouteSpec[] = [
  // system
  {
    method: "get",
    path: "/api/health",
    operationId: "getHealth",
    tag: "System",
    summary: "Liveness and a database ping",
    role: "public",
    responses: { 200: { description: "The database answered.", schema: "Health" }, 503: { description: "The database did not answer.", schema: "Health" } },
    errors: [],
  },
  {
    method: "get",
    path: "/api/queue",
    operationId: "getQueueStatus",
    tag: "System",
    summary: "The run queue and the processes that serve and execute runs",
    description:
      "Queue mode (REDIS_URL): jobs waiting, active and delayed on the shared queue, and every process with a heartbeat in the last 30 s. In-process mode: this process.",
    role: "viewer",
    responses: { 200: { description: "Queue and processes.", schema: "QueueStatus" } },
    errors: [503],
  },
  {
    method: "get",
    path: "/api/openapi.json",
    operationId: "getOpenApi",
    tag: "System",
    summary: "This OpenAPI 3.1 document",
    role: "public",
    responses: { 200: { description: "The document, generated from the zod contracts.", schema: "JsonDocument" } },
    errors: [],
  },
  {
    method: "get",
    path: "/api/schema/workflow.json",
    operationId: "getWorkflowJsonSchema",
    tag: "System",
    summary: "JSON Schema (draft 2020-12) of the workflow document",
    role: "public",
    responses: { 200: { description: "application/schema+json", schema: "JsonDocument" } },
    errors: [],
  },
  {
    method: "get",
    path: "/api/metrics",
    operationId: "getMetrics",
    tag: "System",
    summary: "Prometheus metrics (text format 0.0.4)",
    description: "Server-wide figures, hence admins only.",
    role: "admin",
    responses: { 200: { description: "Runs by status, node executions, durations, failures, queue depth, process metrics.", format: "text" } },
    errors: [],
  },
  {
    method: "get",
    path: "/api/templates",
    operationId: "listTemplates",
    tag: "Workflows",
    summary: "The built-in templates",
    role: "viewer",
    responses: { 200: { description: "Every template with its document.", schema: "TemplateList" } },
    errors: [],
  },
  // workflows
  {
    method: "get",
    path: "/api/workflows",
    operationId: "listWorkflows",
    tag: "Workflows",
    summary: "List workflows",
    role: "viewer",
    responses: { 200: { description: "Name, version, node count, updated, last run status.", schema: "WorkflowList" } },
    errors: [],
  },
  {
    method: "post",
    path: "/api/workflows",
    operationId: "createWorkflow",
    tag: "Workflows",
    summary: "Create a workflow",
    description: "`{ name }` makes an empty workflow, `{ document }` one from a document (templates, duplicates).",
    role: "editor",
    body: { schema: "CreateWorkflowBody", required: false },
    responses: { 201: detail("The new workflow at version 1.") },
    errors: [400, 413],
  },
  {
    method: "get",
    path: "/api/workflows/{id}",
    operationId: "getWorkflow",
    tag: "Workflows",
    summary: "The current version with its document",
    role: "viewer",
    responses: { 200: detail("The current version.") },
    errors: [404],
  },
  {
    method: "put",
    path: "/api/workflows/{id}",
    operationId: "updateWorkflow",
    tag: "Workflows",
    summary: "Save a new version, or rename",
    description: "`{ baseVersion, document, force? }` saves (409 VERSION_CONFLICT with `currentVersion` when baseVersion is stale); `{ name }` renames.",
    role: "editor",
    body: { schema: "UpdateWorkflowBody", required: true },
    responses: { 200: detail("The new version.") },
    errors: [400, 404, 409, 413],
  },
  {
    method: "delete",
    path: "/api/workflows/{id}",
    operationId: "deleteWorkflow",
    tag: "Workflows",
    summary: "Delete a workflow with all its versions",
    role: "editor",
    responses: { 200: { description: "Deleted.", schema: "Deleted" } },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/workflows/{id}/versions",
    operationId: "listVersions",
    tag: "Versions",
    summary: "Every immutable version, newest first",
    role: "viewer",
    responses: { 200: { description: "The versions.", schema: "VersionList" } },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/workflows/{id}/versions/{version}",
    operationId: "getVersion",
    tag: "Versions",
    summary: "One version's document",
    role: "viewer",
    responses: { 200: detail("That version.") },
    errors: [400, 404],
  },
  {
    method: "post",
    path: "/api/workflows/{id}/versions/{version}/restore",
    operationId: "restoreVersion",
    tag: "Versions",
    summary: "Restore a version (as a new version)",
    role: "editor",
    responses: { 200: detail('The new version, reason "restore:N".') },
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/api/workflows/{id}/diff",
    operationId: "diffVersions",
    tag: "Versions",
    summary: "What changed between two versions",
    role: "viewer",
    query: DiffQuerySchema,
    responses: { 200: { description: "Nodes, edges, notes and settings added, removed or changed.", schema: "Diff" } },
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/api/workflows/{id}/export",
    operationId: "exportWorkflow",
    tag: "Workflows",
    summary: "Download the document as <name>.aura.json",
    role: "viewer",
    responses: {
      200: {
        description: "The document.",
        schema: "WorkflowDocument",
        format: "download",
        headers: { "content-disposition": 'attachment; filename="<name>.aura.json"' },
      },
    },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/workflows/import",
    operationId: "importWorkflow",
    tag: "Workflows",
    summary: "Import a document (any supported schemaVersion)",
    description: 'A name already in use gets "(imported)" or "(2)". Nothing is saved when the document has issues.',
    role: "editor",
    body: { schema: "WorkflowDocumentInput", required: true },
    responses: { 201: { description: "The new workflow's id and name.", schema: "ImportAnswer" } },
    errors: [400, 413],
  },
  {
    method: "get",
    path: "/api/workflows/{id}/topology",
    operationId: "getTopology",
    tag: "Workflows",
    summary: "Bottleneck report over the structure and the latest finished runs",
    role: "viewer",
    query: TopologyRouteQuery,
    responses: { 200: { description: "TopologyReport plus `observed` (view=stats: `{ stats, observed }`).", schema: "TopologyAnswer" } },
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/api/workflows/{id}/triggers",
    operationId: "getTriggers",
    tag: "Triggers",
    summary: "Webhook and schedule triggers",
    role: "viewer",
    responses: { 200: { description: "The triggers; webhook URLs and secrets only for editors and above (a viewer sees neither).", schema: "TriggerList" } },
    errors: [404],
  },
  {
    method: "put",
    path: "/api/workflows/{id}/triggers",
    operationId: "putTriggers",
    tag: "Triggers",
    summary: "Replace the triggers",
    description: "Listed ids are kept, others deleted; `rotateSecret` makes a new webhook secret; `responseMode`: immediately, lastNode, stream.",
    role: "editor",
    body: { schema: "PutTriggersBody", required: true },
    responses: { 200: { description: "The triggers now.", schema: "TriggerList" } },
    errors: [400, 404, 413],
  },
  // runs
  {
    method: "post",
    path: "/api/workflows/{id}/runs",
    operationId: "startRun",
    tag: "Runs",
    summary: "Start a run; optionally wait for its answer or stream its events",
    description:
      "Without `wait`: 202 at once. With `?wait=SECONDS`: 200 when the run stops in time (succeeded, failed with its error code and node, cancelled), else 202 (it goes on, or waits for a human). With `Accept: text/event-stream`: 200 and the run's events as SSE, ending with the terminal event.",
    role: "editor",
    query: WaitQuerySchema,
    headers: [ACCEPT_SSE],
    body: { schema: "StartRunBody", required: false },
    responses: {
      200: { description: "The run stopped within the wait (or: the SSE stream).", schema: "RunWaitAnswer", alsoSse: true, headers: RUN_HEADERS },
      202: { description: "Started, still going, or waiting for approval: follow `urls`.", schema: "RunAccepted", headers: RUN_HEADERS },
    },
    errors: [400, 404, 413],
  },
  {
    method: "get",
    path: "/api/runs",
    operationId: "listRuns",
    tag: "Runs",
    summary: "Runs, newest first (cursor pagination)",
    role: "viewer",
    query: ListRunsQuerySchema,
    responses: { 200: { description: "A page of runs.", schema: "RunPage" } },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/runs/{id}",
    operationId: "getRun",
    tag: "Runs",
    summary: "Status, per-node states, result, error, approvals waited for, tokens, cost",
    role: "viewer",
    responses: { 200: { description: "The run.", schema: "RunDetail" } },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/runs/{id}/events",
    operationId: "listRunEvents",
    tag: "Runs",
    summary: "The run's events after a sequence number",
    role: "viewer",
    query: ListEventsQuerySchema,
    responses: { 200: { description: "Events, seq ascending.", schema: "EventPage" } },
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/api/runs/{id}/stream",
    operationId: "streamRun",
    tag: "Runs",
    summary: "Join a run as Server-Sent Events",
    description:
      "Events after `Last-Event-ID` (or `?after=`): `id:` is the seq, `event:` the type, `data:` the RunEvent; `: ping` every 15 s; ends after the terminal event.",
    role: "viewer",
    query: StreamQuery,
    headers: [LAST_EVENT_ID],
    responses: {
      200: { description: "The event stream.", format: "sse" },
      204: { description: "The run stopped and the caller has every event." },
    },
    errors: [400, 404],
  },
  {
    method: "post",
    path: "/api/runs/{id}/cancel",
    operationId: "cancelRun",
    tag: "Runs",
    summary: "Cancel a run",
    role: "editor",
    body: { schema: "CancelBody", required: false },
    responses: action("Cancelling or cancelled."),
    errors: [400, 404, 409],
  },
  {
    method: "post",
    path: "/api/runs/{id}/resume",
    operationId: "resumeRun",
    tag: "Runs",
    summary: "Resume a failed or cancelled run from where it stopped",
    role: "editor",
    responses: action("Queued again (same run)."),
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/runs/{id}/retry",
    operationId: "retryRun",
    tag: "Runs",
    summary: "Retry a failed run as a new run from the failed node",
    role: "editor",
    responses: action("The new run, queued."),
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/runs/{id}/approvals/{nodeId}",
    operationId: "answerApproval",
    tag: "Runs",
    summary: "Answer a waiting Human approval node",
    role: "editor",
    body: { schema: "ApprovalBody", required: true },
    responses: action("The run continues."),
    errors: [400, 404, 409],
  },
  {
    method: "get",
    path: "/api/runs/{id}/checkpoints",
    operationId: "listCheckpoints",
    tag: "Time travel",
    summary: "The run's checkpoints, oldest first",
    role: "viewer",
    query: CheckpointsQuerySchema,
    responses: { 200: { description: "Checkpoints, forks and where this run was forked from.", schema: "CheckpointList" } },
    errors: [400, 404],
  },
  {
    method: "post",
    path: "/api/runs/{id}/fork",
    operationId: "forkRun",
    tag: "Time travel",
    summary: "A new run from a checkpoint, optionally with edited state",
    role: "editor",
    body: { schema: "ForkBody", required: true },
    responses: action("The new run, queued."),
    errors: [400, 404, 409],
  },
  {
    method: "get",
    path: "/api/dead-letters",
    operationId: "listDeadLetters",
    tag: "Runs",
    summary: "Failed runs nobody retried yet",
    role: "viewer",
    query: ListRunsQuerySchema.omit({ status: true }),
    responses: { 200: { description: "A page of runs.", schema: "RunPage" } },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/stats/overview",
    operationId: "getOverview",
    tag: "Runs",
    summary: "Counts, throughput, latency, failures, cost and tokens over a window",
    role: "viewer",
    query: OverviewQuerySchema,
    responses: { 200: { description: "The overview (default: the last 24 hours).", schema: "Overview" } },
    errors: [400],
  },
  // webhooks
  {
    method: "post",
    path: "/api/hooks/{workflowId}/{secret}",
    operationId: "callWebhook",
    tag: "Webhooks",
    summary: "Start a run from a webhook (secret in the path)",
    description: "Answered by the trigger's responseMode: immediately (202), lastNode (the Output's value), stream (SSE).",
    role: "webhook",
    body: { schema: "WebhookInput", required: false },
    responses: webhookResponses,
    errors: [400, 403, 413],
  },
  {
    method: "post",
    path: "/api/hooks/{workflowId}",
    operationId: "callWebhookWithHeader",
    tag: "Webhooks",
    summary: "Start a run from a webhook (secret in the x-aura-webhook-secret header)",
    description: "Answered by the trigger's responseMode: immediately (202), lastNode (the Output's value), stream (SSE).",
    role: "webhook",
    headers: [{ name: "x-aura-webhook-secret", description: "The webhook trigger's secret.", required: true }],
    body: { schema: "WebhookInput", required: false },
    responses: webhookResponses,
    errors: [400, 403, 413],
  },
];
