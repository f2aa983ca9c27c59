import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NODE_KINDS } from "../workflow";
import { collectRun, compileWorkflow, createDefaultServices, InMemoryMemoryService, WorkflowCompileError } from "./index";
import { EXECUTORS } from "./executors";
import { buildWorkflow, type NodeSpec } from "./testing";
import type { EngineEvent } from "../contracts/events";
import { runSandboxed } from "./executors/js-transform";
import { rankCandidates } from "./executors/model-router";

// The HTTP tests call a server on 127.0.0.1: the server admin's switch for private targets (lib/engine/net).
process.env.AURA_HTTP_ALLOW_PRIVATE = "1";
const services = createDefaultServices({ models: { env: {} } });
let counter = 0;

/** start(input fields) → node under test → output of its result. */
async function runOne(node: NodeSpec, input: Record<string, unknown> = {}, svc = services, extra: { nodes?: NodeSpec[]; edges?: string[] } = {}) {
  const fields = Object.keys(input).map((name) => ({ name, type: "json", required: false }));
  const key = (node[2]?.outputKey as string) || node[0];
  const doc = buildWorkflow(
    [["start", "start", { fields }], node, ["out", "output", { value: `{{json ${key}}}` }], ...(extra.nodes ?? [])],
    extra.edges ?? ["start->" + node[0], node[0] + "->out"],
  );
  const { events, outcome } = await collectRun(compileWorkflow(doc, svc), { runId: `x${++counter}`, input });
  return { events, outcome, result: outcome.result };
}
const ofType = <T extends EngineEvent["type"]>(events: EngineEvent[], type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/json") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hello: "world", method: req.method }));
    if (req.url === "/echo") {
      let body = "";
      req.on("data", (c) => (body += c)).on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end(`${String(req.headers["x-who"])}:${body}`));
      return;
    }
    if (req.url === "/big") return res.writeHead(200).end("x".repeat(5000));
    if (req.url === "/slow") return void setTimeout(() => res.writeHead(200).end("late"), 2000);
    if (req.url === "/redirect-out") return res.writeHead(302, { location: "http://evil.example.com/" }).end();
    res.writeHead(500).end("boom");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("executors", () => {
  it("has an executor for every catalog kind", () => {
    // Also checked by the compiler (EXECUTORS is keyed on NodeKindName); this guards the runtime list.
    expect(NODE_KINDS.map((k) => k.kind).filter((k) => !(k in EXECUTORS))).toEqual([]);
  });

  it("start checks and coerces the run input", async () => {
    const doc = buildWorkflow(
      [
        [
          "start",
          "start",
          {
            fields: [
              { name: "n", type: "number" },
              { name: "b", type: "boolean", required: false },
            ],
          },
        ],
        ["out", "output", { value: "{{json n}}" }],
      ],
      ["start->out"],
    );
    const c = compileWorkflow(doc, services);
    expect((await collectRun(c, { runId: "s1", input: { n: "42", b: "true" } })).outcome.result).toBe(42);
    const bad = await collectRun(c, { runId: "s2", input: { n: "x" } });
    expect(bad.outcome.error?.code).toBe("INPUT_INVALID");
    expect(bad.outcome.error?.message).toMatch(/"n" must be a number/);
    expect((await collectRun(c, { runId: "s3", input: {} })).outcome.error?.message).toMatch(/"n" is required/);
  });

  it("template renders text", async () => {
    expect((await runOne(["t", "template", { template: "Hello {{who.name}}" }], { who: { name: "Ada" } })).result).toBe("Hello Ada");
  });

  it("json-extract reads paths from objects and JSON text", async () => {
    expect(
      (await runOne(["j", "json-extract", { source: "doc", path: "$.items[*].name" }], { doc: { items: [{ name: "a" }, { name: "b" }] } })).result,
    ).toEqual(["a", "b"]);
    expect((await runOne(["j", "json-extract", { source: "doc", path: "$.a[1]" }], { doc: '{"a":[1,2]}' })).result).toBe(2);
    expect((await runOne(["j", "json-extract", { source: "doc", path: "$.a" }], { doc: "not json" })).outcome.error?.code).toBe("JSON_INVALID");
  });

  it("sentiment labels text with the lexicon", async () => {
    const pos = (await runOne(["s", "sentiment", { text: "{{t}}" }], { t: "I love this, it is great" })).result as { label: string; score: number };
    expect(pos.label).toBe("positive");
    expect(((await runOne(["s", "sentiment", { text: "{{t}}" }], { t: "awful, terrible service" })).result as { label: string }).label).toBe("negative");
    expect(((await runOne(["s", "sentiment", { text: "{{t}}" }], { t: "the table" })).result as { label: string }).label).toBe("neutral");
  });

  it("delay waits", async () => {
    const t = Date.now();
    const { outcome } = await runOne(["d", "delay", { ms: 120 }]);
    expect(outcome.status).toBe("succeeded");
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
  });

  it("js-transform runs sandboxed code over the state", async () => {
    expect((await runOne(["js", "js-transform", { code: "return { len: state.s.length, up: state.s.toUpperCase() };" }], { s: "abc" })).result).toEqual({
      len: 3,
      up: "ABC",
    });
    const escape = await runOne(["js", "js-transform", { code: "return typeof process + typeof require + typeof fetch + typeof globalThis.process;" }]);
    expect(escape.result).toBe("undefinedundefinedundefinedundefined");
    const loop = await runOne(["js", "js-transform", { code: "while (true) {}", timeoutMs: 50 }]);
    expect(loop.outcome.error?.code).toBe("JS_TIMEOUT");
    const mem = await runOne([
      "js",
      "js-transform",
      { code: "const a = []; for (let i = 0; i < 1e7; i++) a.push({ i }); return a.length;", memoryLimitMb: 8, timeoutMs: 5000 },
    ]);
    expect(mem.outcome.error?.code).toBe("JS_MEMORY");
    expect((await runOne(["js", "js-transform", { code: "throw new Error('nope')" }])).outcome.error?.message).toMatch(/nope/);
  });

  it("js-transform sandbox keeps console output", async () => {
    expect((await runSandboxed("console.log('hi', {a:1}); return 1;", {}, { timeoutMs: 500, memoryLimitMb: 16 })).logs).toEqual(['hi {"a":1}']);
  });

  it("http-request calls allowed hosts only, with timeout and size cap", async () => {
    const ok = await runOne(["h", "http-request", { url: `${base}/json`, allowedHosts: ["127.0.0.1"] }]);
    expect((ok.result as { body: unknown }).body).toEqual({ hello: "world", method: "GET" });
    const post = await runOne(
      [
        "h",
        "http-request",
        { method: "POST", url: `${base}/echo`, body: "v={{v}}", headers: [{ name: "x-who", value: "{{who}}" }], allowedHosts: ["127.0.0.1"] },
      ],
      { v: 7, who: "me" },
    );
    expect((post.result as { body: unknown }).body).toBe("me:v=7");
    expect((await runOne(["h", "http-request", { url: `${base}/json`, allowedHosts: ["example.com"] }])).outcome.error?.code).toBe("HTTP_HOST_NOT_ALLOWED");
    expect((await runOne(["h", "http-request", { url: `${base}/big`, allowedHosts: ["127.0.0.1"], maxResponseBytes: 1024 }])).outcome.error?.code).toBe(
      "HTTP_RESPONSE_TOO_LARGE",
    );
    expect((await runOne(["h", "http-request", { url: `${base}/slow`, allowedHosts: ["127.0.0.1"], timeoutMs: 150 }])).outcome.error?.code).toBe(
      "HTTP_TIMEOUT",
    );
    expect((await runOne(["h", "http-request", { url: `${base}/fail`, allowedHosts: ["127.0.0.1"] }])).outcome.error?.code).toBe("HTTP_500");
    expect((await runOne(["h", "http-request", { url: `${base}/redirect-out`, allowedHosts: ["127.0.0.1"] }])).outcome.error?.code).toBe(
      "HTTP_HOST_NOT_ALLOWED",
    );
  });

  it("router takes the first matching route, else default", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "x", type: "number" }] }],
        [
          "r",
          "router",
          {
            routes: [
              { name: "big", condition: "x > 10" },
              { name: "mid", condition: "x > 5" },
            ],
          },
        ],
        ["a", "template", { template: "big" }],
        ["b", "template", { template: "mid" }],
        ["c", "template", { template: "small" }],
        ["out", "output", { value: "{{a}}{{b}}{{c}}" }],
      ],
      ["start->r", "r->a:route:big", "r->b:route:mid", "r->c:default", "a->out", "b->out", "c->out"],
    );
    for (const [x, want] of [
      [20, "big"],
      [7, "mid"],
      [1, "small"],
    ] as const) {
      const { outcome, events } = await collectRun(compileWorkflow(doc, services), { runId: `r${x}`, input: { x } });
      expect(outcome.result).toBe(want);
      expect(ofType(events, "node.skipped").length).toBe(2);
    }
  });

  it("refuses a router expression that does not parse", () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["r", "router", { routes: [{ name: "a", condition: "x >" }] }],
        ["o", "output", {}],
      ],
      ["start->r", "r->o:route:a", "r->o:default"],
    );
    expect(() => compileWorkflow(doc, services)).toThrow(WorkflowCompileError);
  });

  it("memory store and retrieve rank by similarity", async () => {
    const memory = new InMemoryMemoryService();
    const svc = createDefaultServices({ memory, models: { env: {} } });
    for (const t of ["refund for broken blender", "password reset", "broken toaster refund"]) {
      await runOne(["m", "memory-store", { namespace: "cases", content: "{{t}}", tags: ["x"] }], { t }, svc);
    }
    expect(memory.list("cases")).toHaveLength(3);
    const r = await runOne(["q", "memory-retrieve", { namespace: "cases", query: "{{q}}", topK: 2 }], { q: "refund broken" }, svc);
    const hits = r.result as { content: string; score: number }[];
    expect(hits).toHaveLength(2);
    expect(hits.every((h) => /refund/.test(h.content))).toBe(true);
    expect(hits[0].score).toBeGreaterThanOrEqual(hits[1].score);
  });

  it("model router ranks by policy and records why", () => {
    const candidates = [
      { model: "a:hi", costPer1kTokens: 1, latencyMs: 900, quality: "high" as const },
      { model: "b:mid", costPer1kTokens: 0.1, latencyMs: 300, quality: "medium" as const },
      { model: "c:low", costPer1kTokens: 0, latencyMs: 50, quality: "low" as const },
    ];
    expect(rankCandidates({ policy: "cheapest", minQuality: "medium", fallback: true, candidates }).order.map((c) => c.model)).toEqual([
      "b:mid",
      "a:hi",
      "c:low",
    ]);
    expect(rankCandidates({ policy: "fastest", minQuality: "low", fallback: true, candidates }).order[0].model).toBe("c:low");
    const best = rankCandidates({ policy: "best-quality", minQuality: "low", fallback: true, candidates });
    expect(best.order[0].model).toBe("a:hi");
    expect(best.reason).toMatch(/best quality/);
  });

  it("agent falls back along the router's chain to the simulated model", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "q" }] }],
        [
          "mr",
          "model-router",
          {
            policy: "best-quality",
            candidates: [
              { model: "anthropic:claude-x", quality: "high", costPer1kTokens: 1 },
              { model: "offline:simulated", quality: "medium", costPer1kTokens: 0.5 },
            ],
          },
        ],
        ["ag", "agent", { role: "Helper", prompt: "Answer {{q}}" }],
        ["out", "output", { value: "{{ag}}" }],
      ],
      ["start->mr", "mr->ag", "ag->out"],
    );
    const { outcome, events } = await collectRun(compileWorkflow(doc, services), { runId: "ag1", input: { q: "why?" } });
    expect(outcome.result).toMatch(/^\[Simulated model\]/);
    const fin = ofType(events, "node.finished").find((e) => e.nodeId === "ag")!;
    expect(fin.model).toBe("offline:simulated");
    expect((fin.detail?.fallbackFrom as { code: string }[])[0].code).toBe("PROVIDER_NOT_CONFIGURED");
    expect(fin.tokens!.output).toBeGreaterThan(0);
    expect(fin.costUsd).toBeGreaterThan(0);
    const tokens = ofType(events, "token").filter((e) => e.nodeId === "ag");
    expect(tokens.map((t) => t.text).join("")).toBe(outcome.result);
    const routerFin = ofType(events, "node.finished").find((e) => e.nodeId === "mr")!;
    expect(routerFin.detail?.reason).toMatch(/anthropic:claude-x/);
    const run = ofType(events, "run.finished")[0];
    expect(run.tokens.output).toBe(fin.tokens!.output);
  });

  it("agent calls wired tools when the prompt mentions them, then answers", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "q" }, { name: "city" }] }],
        ["ag", "agent", { role: "Helper", prompt: "{{q}}", maxSteps: 3 }],
        ["weather-tool", "template", { template: "Sunny in {{city}}" }],
        ["out", "output", { value: "{{ag}}" }],
      ],
      ["start->ag", "ag->weather-tool:tools", "ag->out"],
    );
    const { outcome, events } = await collectRun(compileWorkflow(doc, services), { runId: "ag2", input: { q: "What is the weather?", city: "Oslo" } });
    expect(outcome.result).toMatch(/Sunny in Oslo/);
    const toolEvents = events.filter((e) => "nodeId" in e && e.nodeId === "weather-tool");
    expect(toolEvents.map((e) => e.type)).toEqual(["node.started", "node.finished"]);
    expect((toolEvents[0] as { calledBy?: string }).calledBy).toBe("ag");
    const none = await collectRun(compileWorkflow(doc, services), { runId: "ag3", input: { q: "Tell me a joke", city: "Oslo" } });
    expect(none.events.some((e) => "nodeId" in e && e.nodeId === "weather-tool")).toBe(false);
  });

  it("agent with an unconfigured explicit model fails with a clear code", async () => {
    const r = await runOne(["ag", "agent", { role: "X", model: "openai:gpt-4o-mini" }], { input: "hi" });
    expect(r.outcome.error?.code).toBe("PROVIDER_NOT_CONFIGURED");
    expect(r.outcome.error?.message).toMatch(/OPENAI_API_KEY/);
  });

  it("the simulated model answers JSON when asked", async () => {
    const r = await runOne(
      [
        "ag",
        "agent",
        { role: "Analyst", systemPrompt: 'Answer only with JSON: {"action": "buy" | "sell", "confidence": 0..1, "note": string}', prompt: "{{input}}" },
      ],
      { input: "ACME" },
    );
    const parsed = JSON.parse(r.result as string);
    expect(["buy", "sell"]).toContain(parsed.action);
    expect(parsed.confidence).toBeGreaterThanOrEqual(0);
    expect(parsed.confidence).toBeLessThanOrEqual(1);
  });
});
