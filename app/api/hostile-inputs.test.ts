// Hostile inputs against every route, table-driven: malformed JSON, wrong types, huge strings, deep
// nesting, prototype keys, script in labels, cycles, 100k nodes, path traversal ids, unknown content
// types, wrong methods. Each refused request gets a clear 4xx JSON error, finishes quickly, and leaves
// every table unchanged; accepted ones stay within the limits and pollute nothing. The server (the
// route modules and the database) answers a health check at the end.
import { beforeAll, describe, expect, it } from "vitest";
import { body, createWorkflow, ctx, req, startRun, useTestDatabase, waitForRun, TEST_OWNER } from "@/test/api-harness";
import { createEmptyWorkflow, LIMITS } from "@/lib/workflow";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import * as health from "./health/route";
import * as list from "./workflows/route";
import * as one from "./workflows/[id]/route";
import * as importer from "./workflows/import/route";
import * as versions from "./workflows/[id]/versions/route";
import * as version from "./workflows/[id]/versions/[version]/route";
import * as restore from "./workflows/[id]/versions/[version]/restore/route";
import * as exporter from "./workflows/[id]/export/route";
import * as diff from "./workflows/[id]/diff/route";
import * as topology from "./workflows/[id]/topology/route";
import * as triggers from "./workflows/[id]/triggers/route";
import * as start from "./workflows/[id]/runs/route";
import * as runs from "./runs/route";
import * as run from "./runs/[id]/route";
import * as events from "./runs/[id]/events/route";
import * as stream from "./runs/[id]/stream/route";
import * as checkpoints from "./runs/[id]/checkpoints/route";
import * as cancel from "./runs/[id]/cancel/route";
import * as resume from "./runs/[id]/resume/route";
import * as retry from "./runs/[id]/retry/route";
import * as fork from "./runs/[id]/fork/route";
import * as approval from "./runs/[id]/approvals/[nodeId]/route";
import * as hook from "./hooks/[workflowId]/[secret]/route";
import * as hookHeader from "./hooks/[workflowId]/route";
import * as audit from "./audit/route";
import * as deadLetters from "./dead-letters/route";
import * as overview from "./stats/overview/route";

/** Every hostile request comes from the signed-in owner (bootstrap token): the input is the attack, not the missing credentials. */
const OWNER = { authorization: `Bearer ${TEST_OWNER.token}` };

/** Ids made in beforeAll: W (plain workflow), S (a sandbox that accepted cases may change), a finished run, a waiting run. */
const fx = { W: "", S: "", R: "", WAITING: "", SECRET: "", doc: createEmptyWorkflow("x") };

type Call = () => Promise<Response>;
interface Case {
  name: string;
  call: Call;
  /** Expected status, or several when either answer is right (e.g. accepted within limits, or refused). */
  status: number | number[];
  code?: string;
}

/** A request with a raw body and content type (the harness's `req` always sends JSON). */
const raw = (path: string, method: string, text: string, type: string | null = "application/json") =>
  new Request(`http://aura.test${path}`, { method, body: text, headers: { ...(type ? { "content-type": type } : {}), ...OWNER } });
const asJson = (path: string, method: string, value: unknown) => raw(path, method, JSON.stringify(value));

/** A JSON array nested `depth` levels, as text (building it as a value would not be the attack). */
const deepText = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const docWith = (patch: (d: any) => void) => {
  const d = structuredClone(fx.doc) as any;
  patch(d);
  return d;
};
const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `n${i}`, kind: "template", label: `N${i}`, position: { x: i, y: 0 }, config: {} }));

// ── the routes that read a JSON body, each with a call that sends `request` to a fixture ──────────
const JSON_ROUTES: [string, string, (r: Request) => Promise<Response>][] = [
  ["POST /api/workflows", "POST", (r) => list.POST(r)],
  ["PUT /api/workflows/:id", "PUT", (r) => one.PUT(r, ctx({ id: fx.W }))],
  ["POST /api/workflows/import", "POST", (r) => importer.POST(r)],
  ["POST /api/workflows/:id/runs", "POST", (r) => start.POST(r, ctx({ id: fx.W }))],
  ["PUT /api/workflows/:id/triggers", "PUT", (r) => triggers.PUT(r, ctx({ id: fx.W }))],
  ["POST /api/runs/:id/cancel", "POST", (r) => cancel.POST(r, ctx({ id: fx.R }))],
  ["POST /api/runs/:id/approvals/:nodeId", "POST", (r) => approval.POST(r, ctx({ id: fx.WAITING, nodeId: "ap" }))],
  ["POST /api/runs/:id/fork", "POST", (r) => fork.POST(r, ctx({ id: fx.R }))],
  ["POST /api/hooks/:workflowId/:secret", "POST", (r) => hook.POST(r, ctx({ workflowId: fx.W, secret: fx.SECRET }))],
];

const MALFORMED = ["{", '{"a":}', "nul", "{'a':1}", '{"a":1} trailing', "[1,]", '{"a":"\\x41"}'];

const malformedCases: Case[] = JSON_ROUTES.flatMap(([name, method, send]) =>
  MALFORMED.map((text) => ({
    name: `${name}: malformed JSON ${JSON.stringify(text)}`,
    call: () => send(raw("/x", method, text)),
    status: 400,
    code: "INVALID_JSON",
  })),
);

const contentTypeCases: Case[] = JSON_ROUTES.flatMap(([name, method, send]) =>
  [
    ["text/plain", '{"name":"x"}'],
    ["application/x-www-form-urlencoded", "name=x"],
    ["multipart/form-data; boundary=b", '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--'],
  ].map(([type, text]) => ({
    name: `${name}: Content-Type ${type}`,
    call: () => send(raw("/x", method, text, type)),
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
  })),
);

const depthCases: Case[] = JSON_ROUTES.flatMap(([name, method, send]) =>
  [10_000, 100_000].map((depth) => ({
    name: `${name}: ${depth}-level nested array`,
    call: () => send(raw("/x", method, `{"input":${deepText(depth)},"document":${deepText(depth)},"approved":true}`)),
    status: 400,
    code: "BAD_REQUEST",
  })),
);

const wrongTypeCases: Case[] = [
  ...[[], null, "str", 42, true].map((v) => ({
    name: `POST /api/workflows: body ${JSON.stringify(v)}`,
    call: () => list.POST(asJson("/x", "POST", v)),
    status: 400,
  })),
  { name: "POST /api/workflows: name is a number", call: () => list.POST(asJson("/x", "POST", { name: 5 })), status: 400, code: "BAD_REQUEST" },
  { name: "POST /api/workflows: name is an array", call: () => list.POST(asJson("/x", "POST", { name: ["a"] })), status: 400, code: "BAD_REQUEST" },
  { name: "POST /api/workflows: name is blank", call: () => list.POST(asJson("/x", "POST", { name: "   " })), status: 400, code: "BAD_REQUEST" },
  { name: "POST /api/workflows: document is a string", call: () => list.POST(asJson("/x", "POST", { document: "doc" })), status: 400 },
  { name: "POST /api/workflows: document is null", call: () => list.POST(asJson("/x", "POST", { document: null })), status: 400 },
  {
    name: "POST /api/workflows: node kind unknown",
    call: () => list.POST(asJson("/x", "POST", { document: docWith((d) => (d.nodes[0].kind = "shell")) })),
    status: 400,
    code: "INVALID_DOCUMENT",
  },
  {
    name: "POST /api/workflows: position is text",
    call: () => list.POST(asJson("/x", "POST", { document: docWith((d) => (d.nodes[0].position = { x: "1", y: 0 })) })),
    status: 400,
  },
  {
    name: "POST /api/workflows: schemaVersion from the future",
    call: () => list.POST(asJson("/x", "POST", { document: docWith((d) => (d.schemaVersion = 999)) })),
    status: 400,
  },
  {
    name: "PUT /api/workflows/:id: baseVersion is text",
    call: () => one.PUT(asJson("/x", "PUT", { baseVersion: "1", document: fx.doc }), ctx({ id: fx.W })),
    status: 400,
  },
  {
    name: "PUT /api/workflows/:id: baseVersion negative",
    call: () => one.PUT(asJson("/x", "PUT", { baseVersion: -1, document: fx.doc }), ctx({ id: fx.W })),
    status: 400,
  },
  {
    name: "PUT /api/workflows/:id: baseVersion 1.5",
    call: () => one.PUT(asJson("/x", "PUT", { baseVersion: 1.5, document: fx.doc }), ctx({ id: fx.W })),
    status: 400,
  },
  {
    name: "PUT /api/workflows/:id: document is a number",
    call: () => one.PUT(asJson("/x", "PUT", { baseVersion: 1, document: 42 }), ctx({ id: fx.W })),
    status: 400,
  },
  { name: "POST import: an array", call: () => importer.POST(asJson("/x", "POST", [fx.doc])), status: 400, code: "INVALID_DOCUMENT" },
  { name: "POST import: an empty object", call: () => importer.POST(asJson("/x", "POST", {})), status: 400, code: "INVALID_DOCUMENT" },
  { name: "POST runs: input is a string", call: () => start.POST(asJson("/x", "POST", { input: "x" }), ctx({ id: fx.W })), status: 400 },
  { name: "POST runs: input is an array", call: () => start.POST(asJson("/x", "POST", { input: ["x"] }), ctx({ id: fx.W })), status: 400 },
  {
    name: "POST runs: trigger admin",
    call: () => start.POST(asJson("/x", "POST", { input: { input: "x" }, trigger: "admin" }), ctx({ id: fx.W })),
    status: 400,
  },
  {
    name: "POST runs: usePinnedData yes",
    call: () => start.POST(asJson("/x", "POST", { input: { input: "x" }, usePinnedData: "yes" }), ctx({ id: fx.W })),
    status: 400,
  },
  {
    name: "POST runs: required field missing",
    call: () => start.POST(asJson("/x", "POST", { input: {} }), ctx({ id: fx.W })),
    status: 400,
    code: "INPUT_INVALID",
  },
  { name: "POST runs: ?wait=forever", call: () => start.POST(asJson("/x?wait=forever", "POST", { input: { input: "x" } }), ctx({ id: fx.W })), status: 400 },
  {
    name: "POST approvals: approved is text",
    call: () => approval.POST(asJson("/x", "POST", { approved: "yes" }), ctx({ id: fx.WAITING, nodeId: "ap" })),
    status: 400,
  },
  {
    name: "POST approvals: comment is a number",
    call: () => approval.POST(asJson("/x", "POST", { approved: true, comment: 5 }), ctx({ id: fx.WAITING, nodeId: "ap" })),
    status: 400,
  },
  { name: "PUT triggers: not a list", call: () => triggers.PUT(asJson("/x", "PUT", { triggers: "all" }), ctx({ id: fx.W })), status: 400 },
  { name: "PUT triggers: kind shell", call: () => triggers.PUT(asJson("/x", "PUT", { triggers: [{ kind: "shell" }] }), ctx({ id: fx.W })), status: 400 },
  {
    name: "PUT triggers: bad cron",
    call: () => triggers.PUT(asJson("/x", "PUT", { triggers: [{ kind: "schedule", cron: "* * * nope" }] }), ctx({ id: fx.W })),
    status: 400,
  },
  {
    name: "PUT triggers: time zone on Mars",
    call: () => triggers.PUT(asJson("/x", "PUT", { triggers: [{ kind: "schedule", cron: "0 * * * *", timezone: "Mars/Base" }] }), ctx({ id: fx.W })),
    status: 400,
  },
  {
    name: "PUT triggers: a foreign trigger id",
    call: () => triggers.PUT(asJson("/x", "PUT", { triggers: [{ id: "trg_other", kind: "webhook" }] }), ctx({ id: fx.W })),
    status: 400,
  },
  { name: "POST fork: checkpointId is a number", call: () => fork.POST(asJson("/x", "POST", { checkpointId: 5 }), ctx({ id: fx.R })), status: 400 },
  { name: "POST fork: unknown checkpoint", call: () => fork.POST(asJson("/x", "POST", { checkpointId: "../../etc" }), ctx({ id: fx.R })), status: 404 },
  {
    name: "POST fork: __proto__ state field",
    call: () => fork.POST(raw("/x", "POST", '{"checkpointId":"c","state":{"__proto__":{"x":1}}}'), ctx({ id: fx.R })),
    status: [400, 404],
  },
  { name: "POST cancel: reason is an object", call: () => cancel.POST(asJson("/x", "POST", { reason: {} }), ctx({ id: fx.R })), status: 400 },
  { name: "POST cancel: a finished run", call: () => cancel.POST(asJson("/x", "POST", {}), ctx({ id: fx.R })), status: 409, code: "RUN_STATE_CONFLICT" },
  { name: "POST hooks: body is an array", call: () => hook.POST(asJson("/x", "POST", [1]), ctx({ workflowId: fx.W, secret: fx.SECRET })), status: 400 },
  {
    name: "POST hooks: wrong secret",
    call: () => hook.POST(asJson("/x", "POST", {}), ctx({ workflowId: fx.W, secret: "guess" })),
    status: 403,
    code: "FORBIDDEN",
  },
  { name: "POST hooks: secret with NUL", call: () => hook.POST(asJson("/x", "POST", {}), ctx({ workflowId: fx.W, secret: "a\u0000b" })), status: 403 },
];

const hugeCases: Case[] = [
  { name: "POST /api/workflows: 10k-character name", call: () => list.POST(asJson("/x", "POST", { name: "n".repeat(10_000) })), status: 400 },
  {
    name: "POST /api/workflows: 6 MB body",
    call: () => list.POST(asJson("/x", "POST", { name: "n".repeat(6 * 1024 * 1024) })),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
  },
  {
    name: "POST /api/workflows: 100k-character label",
    call: () => list.POST(asJson("/x", "POST", { document: docWith((d) => (d.nodes[0].label = "l".repeat(100_000))) })),
    status: 400,
  },
  {
    name: "POST /api/workflows: 1M-character description",
    call: () => list.POST(asJson("/x", "POST", { document: docWith((d) => (d.description = "d".repeat(1_000_000))) })),
    status: 400,
  },
  {
    name: "POST import: 100k nodes (refused before parsing each)",
    call: () =>
      importer.POST(
        asJson(
          "/x",
          "POST",
          docWith((d) => (d.nodes = nodes(100_000))),
        ),
      ),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
  },
  {
    name: `POST import: ${LIMITS.maxNodes + 1} nodes`,
    call: () =>
      importer.POST(
        asJson(
          "/x",
          "POST",
          docWith((d) => (d.nodes = nodes(LIMITS.maxNodes + 1))),
        ),
      ),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
  },
  {
    name: `PUT /api/workflows/:id: ${LIMITS.maxNodes + 1} nodes`,
    call: () => one.PUT(asJson("/x", "PUT", { baseVersion: 1, document: docWith((d) => (d.nodes = nodes(LIMITS.maxNodes + 1))) }), ctx({ id: fx.W })),
    status: 413,
  },
  {
    name: "POST runs: 6 MB input",
    call: () => start.POST(asJson("/x", "POST", { input: { input: "i".repeat(6 * 1024 * 1024) } }), ctx({ id: fx.W })),
    status: 413,
  },
  {
    name: "POST approvals: 10k-character comment",
    call: () => approval.POST(asJson("/x", "POST", { approved: true, comment: "c".repeat(10_000) }), ctx({ id: fx.WAITING, nodeId: "ap" })),
    status: 400,
  },
  { name: "POST cancel: 1k-character reason", call: () => cancel.POST(asJson("/x", "POST", { reason: "r".repeat(1000) }), ctx({ id: fx.R })), status: 400 },
  {
    name: "POST fork: 1k-character checkpointId",
    call: () => fork.POST(asJson("/x", "POST", { checkpointId: "c".repeat(1000) }), ctx({ id: fx.R })),
    status: 400,
  },
  {
    name: "PUT triggers: 10k-character cron",
    call: () => triggers.PUT(asJson("/x", "PUT", { triggers: [{ kind: "schedule", cron: "*".repeat(10_000) }] }), ctx({ id: fx.W })),
    status: 400,
  },
  {
    name: "POST hooks: 2 MB body (limit 1 MB)",
    call: () => hook.POST(asJson("/x", "POST", { a: "x".repeat(2 * 1024 * 1024) }), ctx({ workflowId: fx.W, secret: fx.SECRET })),
    status: 413,
  },
  { name: "GET /api/runs: 1k-character q", call: () => runs.GET(req(`/api/runs?q=${"q".repeat(1000)}`)), status: 400 },
  { name: "GET /api/runs: 100k-character cursor", call: () => runs.GET(req(`/api/runs?cursor=${"c".repeat(100_000)}`)), status: 400 },
  { name: "GET /api/audit: 1k-character actorId", call: () => audit.GET(req(`/api/audit?actorId=${"a".repeat(1000)}`)), status: 400 },
];

const queryCases: Case[] = [
  { name: "GET /api/runs: NUL in workflowId", call: () => runs.GET(req("/api/runs?workflowId=%00")), status: 400 },
  { name: "GET /api/runs: NUL in q after run_", call: () => runs.GET(req("/api/runs?q=run_%00")), status: 400 },
  { name: "GET /api/runs: status DROP TABLE", call: () => runs.GET(req("/api/runs?status=queued');DROP TABLE Run;--")), status: 400 },
  { name: "GET /api/runs: forged cursor", call: () => runs.GET(req(`/api/runs?cursor=${Buffer.from("not-a-date|x").toString("base64url")}`)), status: 400 },
  { name: "GET /api/runs: limit 1e9", call: () => runs.GET(req("/api/runs?limit=1000000000")), status: 400 },
  { name: "GET /api/dead-letters: from is not a time", call: () => deadLetters.GET(req("/api/dead-letters?from=yesterday")), status: 400 },
  { name: "GET /api/stats/overview: bucket nonsense", call: () => overview.GET(req("/api/stats/overview?bucket=forever")), status: 400 },
  { name: "GET /api/audit: unknown action", call: () => audit.GET(req("/api/audit?action=__proto__")), status: 400 },
  { name: "GET /api/runs/:id/events: after=-5e9", call: () => events.GET(req("/x?after=abc"), ctx({ id: fx.R })), status: 400 },
  {
    name: "GET /api/runs/:id/stream: bad Last-Event-ID",
    call: () => stream.GET(new Request("http://aura.test/x", { headers: { "last-event-id": "../1", ...OWNER } }), ctx({ id: fx.R })),
    status: 400,
  },
  { name: "GET diff: from=0", call: () => diff.GET(req("/x?from=0"), ctx({ id: fx.W })), status: 400 },
  { name: "GET topology: runs=-1", call: () => topology.GET(req("/x?runs=-1"), ctx({ id: fx.W })), status: 400 },
  { name: "GET version: version ../1", call: () => version.GET(req("/x"), ctx({ id: fx.W, version: "../1" })), status: 400 },
  { name: "POST restore: version 1e99", call: () => restore.POST(req("/x", { method: "POST" }), ctx({ id: fx.W, version: "1e99" })), status: 400 },
];

// ── every route with an id in its path, tried with ids that must never reach a query ─────────────
const BAD_IDS = ["..", "../", "../../etc/passwd", "%2e%2e", "..%2f..%2f", "wf_\u0000", "a b", "<script>", "x".repeat(129), ""];
const okBody = (method: string, value: unknown = {}) => asJson("/x", method, value);
const ID_ROUTES: [string, (id: string) => Promise<Response>, number][] = [
  ["GET /api/workflows/:id", (id) => one.GET(req("/x"), ctx({ id })), 404],
  ["PUT /api/workflows/:id", (id) => one.PUT(okBody("PUT", { name: "n" }), ctx({ id })), 404],
  ["DELETE /api/workflows/:id", (id) => one.DELETE(req("/x", { method: "DELETE" }), ctx({ id })), 404],
  ["GET /api/workflows/:id/versions", (id) => versions.GET(req("/x"), ctx({ id })), 404],
  ["GET /api/workflows/:id/versions/1", (id) => version.GET(req("/x"), ctx({ id, version: "1" })), 404],
  ["POST /api/workflows/:id/versions/1/restore", (id) => restore.POST(req("/x", { method: "POST" }), ctx({ id, version: "1" })), 404],
  ["GET /api/workflows/:id/export", (id) => exporter.GET(req("/x"), ctx({ id })), 404],
  ["GET /api/workflows/:id/diff", (id) => diff.GET(req("/x?from=1"), ctx({ id })), 404],
  ["GET /api/workflows/:id/topology", (id) => topology.GET(req("/x"), ctx({ id })), 404],
  ["GET /api/workflows/:id/triggers", (id) => triggers.GET(req("/x"), ctx({ id })), 404],
  ["PUT /api/workflows/:id/triggers", (id) => triggers.PUT(okBody("PUT", { triggers: [] }), ctx({ id })), 404],
  ["POST /api/workflows/:id/runs", (id) => start.POST(okBody("POST", { input: { input: "x" } }), ctx({ id })), 404],
  ["GET /api/runs/:id", (id) => run.GET(req("/x"), ctx({ id })), 404],
  ["GET /api/runs/:id/events", (id) => events.GET(req("/x"), ctx({ id })), 404],
  ["GET /api/runs/:id/stream", (id) => stream.GET(req("/x"), ctx({ id })), 404],
  ["GET /api/runs/:id/checkpoints", (id) => checkpoints.GET(req("/x"), ctx({ id })), 404],
  ["POST /api/runs/:id/cancel", (id) => cancel.POST(req("/x", { method: "POST" }), ctx({ id })), 404],
  ["POST /api/runs/:id/resume", (id) => resume.POST(req("/x", { method: "POST" }), ctx({ id })), 404],
  ["POST /api/runs/:id/retry", (id) => retry.POST(req("/x", { method: "POST" }), ctx({ id })), 404],
  ["POST /api/runs/:id/fork", (id) => fork.POST(okBody("POST", { checkpointId: "c" }), ctx({ id })), 404],
  ["POST /api/runs/:id/approvals/ap", (id) => approval.POST(okBody("POST", { approved: true }), ctx({ id, nodeId: "ap" })), 404],
  ["POST /api/runs/WAITING/approvals/:nodeId", (id) => approval.POST(okBody("POST", { approved: true }), ctx({ id: fx.WAITING, nodeId: id })), 404],
  ["POST /api/hooks/:workflowId/SECRET", (id) => hook.POST(okBody("POST"), ctx({ workflowId: id, secret: fx.SECRET })), 403],
  [
    "POST /api/hooks/:workflowId (secret header)",
    (id) => hookHeader.POST(new Request("http://aura.test/x", { method: "POST", headers: { "x-aura-webhook-secret": fx.SECRET } }), ctx({ workflowId: id })),
    403,
  ],
];
const pathCases: Case[] = ID_ROUTES.flatMap(([name, send, status]) =>
  BAD_IDS.map((id) => ({ name: `${name} with id ${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}…(${id.length})` : id)}`, call: () => send(id), status })),
);

const REFUSED: Case[] = [...malformedCases, ...contentTypeCases, ...depthCases, ...wrongTypeCases, ...hugeCases, ...queryCases, ...pathCases];

describe.each(await testProviders())("hostile inputs on %s", (provider) => {
  const db = useTestDatabase(provider, { runs: true });

  /** Rows of every table a request could change. */
  const counts = async () => {
    const p = db().db.prisma;
    const [w, v, r, e, t, a, m] = await Promise.all([
      p.workflow.count(),
      p.workflowVersion.count(),
      p.run.count(),
      p.runEvent.count(),
      p.workflowTrigger.count(),
      p.auditEntry.count(),
      p.memoryItem.count(),
    ]);
    return { workflows: w, versions: v, runs: r, events: e, triggers: t, audit: a, memory: m };
  };

  beforeAll(async () => {
    fx.W = await createWorkflow(createEmptyWorkflow("Hostile target"));
    fx.S = await createWorkflow(createEmptyWorkflow("Sandbox"));
    fx.doc = (await body(await one.GET(req("/x"), ctx({ id: fx.W })))).document;
    fx.R = await startRun(fx.W, { input: "x" });
    await waitForRun(fx.R, ["succeeded"]);
    const approvalWf = await createWorkflow(
      buildWorkflow(
        [
          ["start", "start", {}],
          ["ap", "human-approval", { instructions: "ok?" }],
          ["o", "output", { value: "done" }],
        ],
        ["start->ap", "ap->o:approved"],
      ),
    );
    fx.WAITING = await startRun(approvalWf);
    await waitForRun(fx.WAITING, ["waiting"]);
    const t = await triggers.PUT(req("/x", { method: "PUT", json: { triggers: [{ kind: "webhook" }] } }), ctx({ id: fx.W }));
    fx.SECRET = (await body(t)).triggers[0].secret;
  });

  it(`has at least 90 refused cases (${REFUSED.length})`, () => expect(REFUSED.length).toBeGreaterThanOrEqual(90));

  it.each(REFUSED.map((c) => [c.name, c] as const))("refuses %s: clear 4xx, nothing stored", async (_name, c) => {
    const before = await counts();
    const started = Date.now();
    const res = await c.call();
    const text = await res.text();
    const statuses = Array.isArray(c.status) ? c.status : [c.status];
    expect(statuses, text.slice(0, 300)).toContain(res.status);
    const error = (JSON.parse(text) as { error: { code: string; message: string } }).error;
    expect(error.message.length).toBeGreaterThan(10);
    if (c.code) expect(error.code).toBe(c.code);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await counts()).toEqual(before);
  });

  // ── accepted within the limits: stored as data, nothing polluted, everything reads back ─────────
  it("keeps prototype keys as plain data and pollutes nothing", async () => {
    const created = await list.POST(raw("/x", "POST", '{"name":"proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'));
    expect(created.status).toBe(201);
    const doc = docWith((d) => {
      d.nodes.push({ id: "__proto__", kind: "template", label: "__proto__", position: { x: 0, y: 99 }, config: { template: "{{constructor}}" } });
      d.nodes.push({ id: "constructor", kind: "template", label: "constructor", position: { x: 0, y: 199 }, config: {} });
      d.edges.push({ id: "e-proto", source: "__proto__", target: "constructor" });
    });
    const text = JSON.stringify(doc).replace('"settings":{', '"settings":{"__proto__":{"polluted":true},');
    const imported = await importer.POST(raw("/x", "POST", text));
    expect([201, 400]).toContain(imported.status);
    if (imported.status === 201) {
      const { id } = await body(imported);
      for (const res of [
        await one.GET(req("/x"), ctx({ id })),
        await exporter.GET(req("/x"), ctx({ id })),
        await topology.GET(req("/x"), ctx({ id })),
        await versions.GET(req("/x"), ctx({ id })),
      ])
        expect(res.status).toBe(200);
      const got = await body(await one.GET(req("/x"), ctx({ id })));
      expect(got.document.nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining(["__proto__", "constructor"]));
    }
    const trig = await triggers.PUT(raw("/x", "PUT", '{"triggers":[{"kind":"webhook","input":{"__proto__":{"polluted":true}}}]}'), ctx({ id: fx.S }));
    expect(trig.status).toBe(200);
    expect((await runs.GET(req("/api/runs?__proto__=1&constructor=2"))).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("stores script in names and labels as text, exactly", async () => {
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const res = await list.POST(
      asJson("/x", "POST", {
        document: docWith((d) => {
          d.name = evil.slice(0, 200);
          d.nodes[0].label = evil;
        }),
      }),
    );
    expect(res.status).toBe(201);
    const created = await body(res);
    expect(created.name).toBe(evil);
    expect(created.document.nodes[0].label).toBe(evil);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("a cycle is refused with a clear code or runs to a failed run with a specific code, never hangs", async () => {
    const cyclic = buildWorkflow(
      [
        ["start", "start", {}],
        ["a", "template", { template: "a" }],
        ["b", "template", { template: "b" }],
        ["o", "output", { value: "{{b}}" }],
      ],
      ["start->a", "a->b", "b->a", "b->o"],
    );
    const id = await createWorkflow(cyclic);
    const res = await start.POST(asJson("/x?wait=20", "POST", { input: {} }), ctx({ id }));
    const answer = await body(res);
    if (res.status === 400) expect(answer.error.code).toBe("WORKFLOW_INVALID");
    else {
      expect([200, 202]).toContain(res.status);
      const done = await waitForRun(answer.runId, ["succeeded", "failed"], 30_000);
      if (done.status === "failed") expect(done.error.code).toMatch(/^[A-Z_]+$/);
    }
  });

  it("a self-loop edge is refused or stored, never a 500", async () => {
    const res = await importer.POST(
      asJson(
        "/x",
        "POST",
        docWith((d) => d.edges.push({ id: "self", source: "output", target: "output" })),
      ),
    );
    expect([201, 400]).toContain(res.status);
  });

  it("route modules export only their documented methods (Next answers the rest with 405)", () => {
    const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    const table: [Record<string, unknown>, string[]][] = [
      [list, ["GET", "POST"]],
      [one, ["GET", "PUT", "DELETE"]],
      [importer, ["POST"]],
      [triggers, ["GET", "PUT"]],
      [start, ["POST"]],
      [run, ["GET"]],
      [cancel, ["POST"]],
      [approval, ["POST"]],
      [fork, ["POST"]],
      [hook, ["POST"]],
      [audit, ["GET"]],
    ];
    for (const [mod, allowed] of table) expect(METHODS.filter((m) => typeof mod[m] === "function")).toEqual(allowed);
  });

  it("the server still answers after all of it", async () => {
    const res = await health.GET(req("/api/health"));
    expect(res.status).toBe(200);
    expect((await one.GET(req("/x"), ctx({ id: fx.W }))).status).toBe(200);
  });
});
