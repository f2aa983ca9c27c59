import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWorkflow, validateWorkflow, type WorkflowDocument } from "@/lib/workflow";
import { collectRun, compileWorkflow, createDefaultServices } from "@/lib/engine";
import { buildWorkflow } from "@/lib/engine/testing";
import { analyzeTopology } from "../analyze-topology";
import { aggregateRunStats } from "../aggregate-stats";
import { FIX_RETRY, FixRefusalCode, fixSuggestion, isFixable, type FixApplied, type FixResult } from "./index";

const services = createDefaultServices({ models: { env: {} } });
const errors = (doc: WorkflowDocument) => validateWorkflow(doc).filter((i) => i.severity === "error");
const ok = (r: FixResult): FixApplied => {
  if (!r.ok) throw new Error(`refused: ${r.code} ${r.message}`);
  return r;
};
const ids = (doc: WorkflowDocument) => doc.nodes.map((n) => n.id);
const template = (slug: string): WorkflowDocument => {
  const parsed = parseWorkflow(JSON.parse(readFileSync(join(process.cwd(), `templates/${slug}.aura.json`), "utf8")));
  if (!parsed.ok) throw new Error("template does not parse");
  return parsed.document;
};

/** Start → a → b → c → Output: three templates, none reading another's output. */
const chain = () =>
  buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "topic", type: "string" }] }],
      ["a", "template", { template: "A about {{topic}}", outputKey: "ra" }],
      ["b", "template", { template: "B about {{topic}}", outputKey: "rb" }],
      ["c", "template", { template: "C about {{topic}}", outputKey: "rc" }],
      ["out", "output", { value: "" }],
    ],
    ["start->a", "a->b", "b->c", "c->out"],
  );

describe("fixSuggestion: ADD_TIMEOUT", () => {
  it("gives the customer-support approval a time limit, keeps every id, passes validation, refuses a second time", () => {
    const doc = template("customer-support");
    const report = analyzeTopology(doc);
    const suggestion = report.nodes.find((n) => n.id === "supervisor-review")!.suggestions.find((s) => s.code === "ADD_TIMEOUT")!;
    expect(suggestion).toBeDefined();
    const r = ok(fixSuggestion(doc, suggestion));
    expect(r.doc.nodes.find((n) => n.id === "supervisor-review")!.config.timeoutMs).toBe(86_400_000);
    expect(ids(r.doc)).toEqual(ids(doc));
    expect(r.doc.edges).toBe(doc.edges);
    expect(errors(r.doc)).toEqual([]);
    expect(r.changes.changedNodeIds).toEqual(["supervisor-review"]);
    // The report no longer suggests it.
    expect(
      analyzeTopology(r.doc)
        .nodes.find((n) => n.id === "supervisor-review")!
        .suggestions.some((s) => s.code === "ADD_TIMEOUT"),
    ).toBe(false);
    const again = fixSuggestion(r.doc, suggestion);
    expect(again).toMatchObject({ ok: false, code: FixRefusalCode.ALREADY_APPLIED });
    // The input is not mutated.
    expect(doc.nodes.find((n) => n.id === "supervisor-review")!.config.timeoutMs).toBe(0);
  });

  it("adds a per-attempt timeout to an agent's policy, and refuses Start or a missing node", () => {
    const doc = chain();
    const r = ok(fixSuggestion(doc, { code: "ADD_TIMEOUT", nodeIds: ["a"] }));
    expect(r.doc.nodes.find((n) => n.id === "a")!.policy).toMatchObject({ timeoutMs: 60_000, onError: "fail" });
    expect(errors(r.doc)).toEqual([]);
    expect(fixSuggestion(r.doc, { code: "ADD_TIMEOUT", nodeIds: ["a"] })).toMatchObject({ ok: false, code: FixRefusalCode.ALREADY_APPLIED });
    expect(fixSuggestion(doc, { code: "ADD_TIMEOUT", nodeIds: ["start"] })).toMatchObject({ ok: false, code: FixRefusalCode.NOT_APPLICABLE });
    expect(fixSuggestion(doc, { code: "ADD_TIMEOUT", nodeIds: ["gone"] })).toMatchObject({ ok: false, code: FixRefusalCode.NODE_MISSING });
  });
});

describe("fixSuggestion: ADD_RETRIES and ADD_ERROR_ROUTE on a node that fails often", () => {
  const flaky = () =>
    buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["fetch", "http-request", { url: "https://api.example.com/x", method: "GET", outputKey: "page" }],
        ["sum", "template", { template: "Got {{page}}", outputKey: "summary" }],
        ["out", "output", { value: "{{summary}}" }],
      ],
      ["start->fetch", "fetch->sum", "sum->out"],
    );
  // 10 runs, 4 of 10 attempts fail: the report suggests retries.
  const records = Array.from({ length: 10 }, (_, i) => [
    { runId: `r${i}`, nodeId: "start", attempt: 1, status: "succeeded" as const, startedAt: 0, finishedAt: 1 },
    { runId: `r${i}`, nodeId: "fetch", attempt: 1, status: i < 4 ? ("failed" as const) : ("succeeded" as const), startedAt: 1, finishedAt: 300 },
  ]).flat();

  it("ADD_RETRIES comes from the report and sets 3 attempts with backoff; idempotent", () => {
    const doc = flaky();
    const report = analyzeTopology(doc, aggregateRunStats(records));
    const suggestion = report.nodes.find((n) => n.id === "fetch")!.suggestions.find((s) => s.code === "ADD_RETRIES")!;
    expect(suggestion).toBeDefined();
    const r = ok(fixSuggestion(doc, suggestion));
    expect(r.doc.nodes.find((n) => n.id === "fetch")!.policy!.retry).toEqual(FIX_RETRY);
    expect(errors(r.doc)).toEqual([]);
    expect(ids(r.doc)).toEqual(ids(doc));
    expect(fixSuggestion(r.doc, suggestion)).toMatchObject({ ok: false, code: FixRefusalCode.ALREADY_APPLIED });
  });

  it("ADD_ERROR_ROUTE adds a fallback step on the error port that writes the node's key and continues to its successor", async () => {
    const doc = flaky();
    const r = ok(fixSuggestion(doc, { code: "ADD_ERROR_ROUTE", nodeIds: ["fetch"] }));
    const fetch = r.doc.nodes.find((n) => n.id === "fetch")!;
    expect(fetch.policy!.onError).toBe("route");
    const fallback = r.doc.nodes.find((n) => n.id === r.changes.addedNodeIds[0])!;
    expect(fallback).toMatchObject({ kind: "template", config: { outputKey: "page" } });
    expect(r.doc.edges.filter((e) => e.source === "fetch").map((e) => [e.target, e.sourceHandle])).toEqual([
      ["sum", "out"],
      [fallback.id, "error"],
    ]);
    expect(r.doc.edges.some((e) => e.source === fallback.id && e.target === "sum")).toBe(true);
    expect(errors(r.doc)).toEqual([]);
    expect(ids(r.doc).slice(0, doc.nodes.length)).toEqual(ids(doc));
    expect(fixSuggestion(r.doc, { code: "ADD_ERROR_ROUTE", nodeIds: ["fetch"] })).toMatchObject({ ok: false, code: FixRefusalCode.ALREADY_APPLIED });

    // The run now goes on when the request fails: the fallback's note reaches the Output.
    const failing = { ...services, fetch: () => Promise.reject(new Error("connection refused")) } as typeof services;
    const compiled = compileWorkflow(r.doc, failing);
    const { outcome } = await collectRun(compiled, { runId: "fix-error-route", input: {} });
    expect(outcome.status).toBe("succeeded");
    expect(String(outcome.result)).toMatch(/^Got fetch failed \(/);
  });
});

describe("fixSuggestion: PARALLELISE", () => {
  it("rewires the report's parallelisable chain into a fan-out / fan-in with a Join that compiles and gives the same result", async () => {
    const doc = chain();
    const report = analyzeTopology(doc);
    expect(report.parallelisable.map((p) => p.nodeIds)).toEqual([["a", "b", "c"]]);
    const suggestion = report.nodes.find((n) => n.id === "a")!.suggestions.find((s) => s.code === "PARALLELISE")!;
    const r = ok(fixSuggestion(doc, suggestion));
    const joinId = r.changes.addedNodeIds[0];
    expect(r.doc.nodes.find((n) => n.id === joinId)!.kind).toBe("join");
    const pairs = r.doc.edges.map((e) => `${e.source}->${e.target}`).sort();
    expect(pairs).toEqual(["a->" + joinId, "b->" + joinId, "c->" + joinId, joinId + "->out", "start->a", "start->b", "start->c"].sort());
    // Ids kept: every node, the entry edge and the exit edge.
    expect(ids(r.doc).slice(0, doc.nodes.length)).toEqual(ids(doc));
    expect(r.doc.edges.find((e) => e.id === "e0")).toMatchObject({ source: "start", target: "a" });
    expect(r.doc.edges.find((e) => e.id === "e3")).toMatchObject({ source: joinId, target: "out" });
    expect(r.changes.removedEdgeIds.sort()).toEqual(["e1", "e2"]);
    // The Output returned c's result; it names it now, so the result stays the same.
    expect(r.doc.nodes.find((n) => n.id === "out")!.config.value).toBe("{{rc}}");
    expect(errors(r.doc)).toEqual([]);
    // The analysis sees no chain any more, and the critical path got shorter.
    const after = analyzeTopology(r.doc);
    expect(after.parallelisable).toEqual([]);
    expect(after.summary.depth).toBeLessThan(report.summary.depth);
    expect(fixSuggestion(r.doc, suggestion)).toMatchObject({ ok: false, code: FixRefusalCode.ALREADY_APPLIED });

    const input = { topic: "owls" };
    const before = await collectRun(compileWorkflow(doc, services), { runId: "fix-par-before", input });
    const afterRun = await collectRun(compileWorkflow(r.doc, services), { runId: "fix-par-after", input });
    expect(afterRun.outcome.status).toBe("succeeded");
    expect(afterRun.outcome.result).toEqual(before.outcome.result);
    expect(afterRun.outcome.result).toBe("C about owls");
    // All three ran, and the Join collected three results.
    const finished = afterRun.events.filter((e) => e.type === "node.finished").map((e) => (e as { nodeId: string }).nodeId);
    expect(finished).toEqual(expect.arrayContaining(["a", "b", "c", joinId]));
  });

  it("keeps a router's port on every new branch", () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "x", type: "string" }] }],
        ["r", "router", { routes: [{ name: "go", condition: 'x != ""' }] }],
        ["a", "template", { template: "{{x}}", outputKey: "ra" }],
        ["b", "template", { template: "{{x}}!", outputKey: "rb" }],
        ["out", "output", { value: "{{ra}} {{rb}}" }],
      ],
      ["start->r", "r->a:route:go", "a->b", "b->out", "r->out:default"],
    );
    const r = ok(fixSuggestion(doc, { code: "PARALLELISE", nodeIds: ["a", "b"] }));
    expect(r.doc.edges.filter((e) => e.source === "r" && e.target === "b")).toMatchObject([{ sourceHandle: "route:go" }]);
    expect(r.doc.nodes.find((n) => n.id === "out")!.config.value).toBe("{{ra}} {{rb}}");
    expect(errors(r.doc)).toEqual([]);
  });

  it("leaves an agent's tool attachments where they are", () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "q", type: "string" }] }],
        ["ask", "agent", { role: "R", prompt: "{{q}}", model: "offline:simulated", outputKey: "answer" }],
        ["tool", "js-transform", { code: "return 1" }],
        ["note", "template", { template: "Asked {{q}}", outputKey: "note" }],
        ["out", "output", { value: "{{answer}} {{note}}" }],
      ],
      ["start->ask", "ask->tool:tools", "ask->note", "note->out"],
    );
    const r = ok(fixSuggestion(doc, { code: "PARALLELISE", nodeIds: ["ask", "note"] }));
    expect(r.doc.edges.find((e) => e.id === "e1")).toEqual(doc.edges[1]);
    expect(r.changes.removedEdgeIds).toEqual(["e2"]);
    expect(errors(r.doc)).toEqual([]);
  });

  it("refuses when a step reads an earlier one's output (data dependency), or the chain changed", () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "topic", type: "string" }] }],
        ["a", "template", { template: "A {{topic}}", outputKey: "ra" }],
        ["b", "template", { template: "B {{ra}}", outputKey: "rb" }],
        ["out", "output", {}],
      ],
      ["start->a", "a->b", "b->out"],
    );
    expect(analyzeTopology(doc).parallelisable).toEqual([]);
    expect(fixSuggestion(doc, { code: "PARALLELISE", nodeIds: ["a", "b"] })).toMatchObject({ ok: false, code: FixRefusalCode.NOT_APPLICABLE });
    expect(fixSuggestion(chain(), { code: "PARALLELISE", nodeIds: ["a", "c"] })).toMatchObject({ ok: false, code: FixRefusalCode.NOT_APPLICABLE });
    expect(fixSuggestion(chain(), { code: "PARALLELISE", nodeIds: ["a", "nope"] })).toMatchObject({ ok: false, code: FixRefusalCode.NODE_MISSING });
  });
});

describe("fixSuggestion: Model router before an agent", () => {
  const withAgent = (model: string) =>
    buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "q", type: "string" }] }],
        ["writer", "agent", { role: "Writer", prompt: "{{q}}", model, outputKey: "draft" }],
        ["out", "output", { value: "{{draft}}" }],
      ],
      ["start->writer", "writer->out"],
    );

  it("ADD_MODEL_ROUTER inserts a cheapest-first router holding the agent's model; the agent uses its choice", async () => {
    const doc = withAgent("offline:simulated");
    const r = ok(fixSuggestion(doc, { code: "ADD_MODEL_ROUTER", nodeIds: ["writer"] }));
    const router = r.doc.nodes.find((n) => n.id === r.changes.addedNodeIds[0])!;
    expect(router).toMatchObject({ kind: "model-router", config: { policy: "cheapest", fallback: true, candidates: [{ model: "offline:simulated" }] } });
    expect(r.doc.nodes.find((n) => n.id === "writer")!.config.model).toBe("");
    expect(r.doc.edges.map((e) => `${e.id}:${e.source}->${e.target}`)).toEqual([
      `e0:start->${router.id}`,
      "e1:writer->out",
      `${r.changes.addedEdgeIds[0]}:${router.id}->writer`,
    ]);
    expect(errors(r.doc)).toEqual([]);
    expect(fixSuggestion(r.doc, { code: "ADD_MODEL_ROUTER", nodeIds: ["writer"] })).toMatchObject({ ok: false, code: FixRefusalCode.ALREADY_APPLIED });
    const { outcome, events } = await collectRun(compileWorkflow(r.doc, services), { runId: "fix-router", input: { q: "hi" } });
    expect(outcome.status).toBe("succeeded");
    expect(events.some((e) => e.type === "node.finished" && e.nodeId === "writer" && e.model?.includes("simulated"))).toBe(true);
  });

  it("the report suggests it for an agent that dominates cost; refused for an agent on the server default model", () => {
    const doc = withAgent("offline:simulated");
    const records = Array.from({ length: 5 }, (_, i) => ({
      runId: `r${i}`,
      nodeId: "writer",
      attempt: 1,
      status: "succeeded" as const,
      startedAt: 0,
      finishedAt: 900,
      costUsd: 0.02,
    }));
    const report = analyzeTopology(doc, aggregateRunStats(records));
    const s = report.nodes.find((n) => n.id === "writer")!.suggestions.find((x) => x.code === "ADD_MODEL_ROUTER");
    expect(s?.nodeIds).toEqual(["writer"]);
    expect(fixSuggestion(withAgent(""), { code: "ADD_MODEL_ROUTER", nodeIds: ["writer"] })).toMatchObject({ ok: false, code: FixRefusalCode.NOT_APPLICABLE });
    expect(fixSuggestion(doc, { code: "ADD_FALLBACK_MODEL", nodeIds: ["start"] })).toMatchObject({ ok: false, code: FixRefusalCode.NOT_APPLICABLE });
  });
});

describe("fixSuggestion: caps and what cannot be fixed", () => {
  it("doubles a map's cap and the run concurrency; LIMIT_LOOP is not fixable", () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["m", "parallel-map", { itemsFrom: "items", maxConcurrency: 4 }],
        ["t", "template", { template: "{{item}}" }],
        ["j", "join", {}],
      ],
      ["start->m", "m->t", "t->j"],
    );
    expect(ok(fixSuggestion(doc, { code: "RAISE_FAN_OUT_CAP", nodeIds: ["m", "t"] })).doc.nodes.find((n) => n.id === "m")!.config.maxConcurrency).toBe(8);
    expect(ok(fixSuggestion(doc, { code: "RAISE_RUN_CONCURRENCY", nodeIds: ["t"] })).doc.settings.maxConcurrentRuns).toBe(20);
    expect(fixSuggestion(doc, { code: "LIMIT_LOOP", nodeIds: ["t"] })).toMatchObject({ ok: false, code: FixRefusalCode.NOT_FIXABLE });
    expect(isFixable("LIMIT_LOOP")).toBe(false);
    expect(isFixable("PARALLELISE")).toBe(true);
  });
});
