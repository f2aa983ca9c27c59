import { describe, expect, it } from "vitest";
import { IssueCode, validateWorkflow } from "../workflow";
import type { EngineEvent } from "../contracts/events";
import { collectRun, compileWorkflow, createDefaultServices, WorkflowCompileError } from "./index";
import { buildWorkflow } from "./testing";

const services = createDefaultServices({ models: { env: {} } });
const ofType = <T extends EngineEvent["type"]>(events: EngineEvent[], type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
const ran = (events: EngineEvent[], id: string) => ofType(events, "node.finished").filter((e) => e.nodeId === id).length;

describe("compileWorkflow", () => {
  it("refuses an invalid document with the validator's issue codes", () => {
    const doc = buildWorkflow(
      [
        ["a", "template", { template: "x" }],
        ["j", "join", {}],
      ],
      ["a->j"],
    );
    let caught: unknown;
    try {
      compileWorkflow(doc, services);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WorkflowCompileError);
    const codes = (caught as WorkflowCompileError).issues.map((i) => i.code).sort();
    expect(codes).toEqual(
      validateWorkflow(doc)
        .filter((i) => i.severity === "error")
        .map((i) => i.code)
        .sort(),
    );
    expect(codes).toContain(IssueCode.NO_START);
    expect((caught as WorkflowCompileError).code).toBe("WORKFLOW_INVALID");
  });

  it("caches per document object and per content", () => {
    const make = () =>
      buildWorkflow(
        [
          ["start", "start", { fields: [] }],
          ["o", "output", { value: "1" }],
        ],
        ["start->o"],
      );
    const a = make();
    const c1 = compileWorkflow(a, services);
    expect(compileWorkflow(a, services)).toBe(c1);
    expect(compileWorkflow(make(), services)).toBe(c1);
    expect(compileWorkflow(make(), createDefaultServices())).not.toBe(c1);
  });

  it("derives the recursion limit from the graph", () => {
    const chain = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["a", "template", { template: "1" }],
        ["o", "output", {}],
      ],
      ["start->a", "a->o"],
    );
    expect(compileWorkflow(chain, services).recursionLimit).toBe(13);
  });

  it("an `error` port exists only when the policy routes errors", () => {
    const nodes = (onError: "route" | "fail") =>
      [
        ["start", "start", { fields: [] }],
        ["h", "js-transform", { code: "throw new Error('x')" }, { onError }],
        ["c", "template", { template: "comp" }],
        ["o", "output", {}],
      ] as const;
    const edges = ["start->h", "h->o", "h->c:error", "c->o"];
    expect(validateWorkflow(buildWorkflow(nodes("route").map((n) => [...n]) as never, edges)).filter((i) => i.severity === "error")).toEqual([]);
    expect(validateWorkflow(buildWorkflow(nodes("fail").map((n) => [...n]) as never, edges)).map((i) => i.code)).toContain(IssueCode.UNKNOWN_HANDLE);
  });
});

describe("control flow", () => {
  it("a join waits for every live branch, also when a router skipped one", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "go" }] }],
        ["r", "router", { routes: [{ name: "left", condition: 'go == "left"' }] }],
        ["l1", "template", { template: "L1" }],
        ["l2", "template", { template: "L2" }],
        ["d", "template", { template: "D" }],
        ["p1", "delay", { ms: 30 }],
        ["p2", "template", { template: "P" }],
        ["j", "join", { outputKey: "all" }],
        ["o", "output", { value: "{{json all}}" }],
      ],
      ["start->r", "start->p1", "p1->p2", "r->l1:route:left", "l1->l2", "r->d:default", "l2->j", "d->j", "p2->j", "j->o"],
    );
    for (const [go, expected] of [
      ["left", ["L2", "P"]],
      ["right", ["D", "P"]],
    ] as const) {
      const { outcome, events } = await collectRun(compileWorkflow(doc, services), { runId: `join-${go}`, input: { go } });
      expect(outcome.status).toBe("succeeded");
      expect([...(outcome.result as string[])].sort()).toEqual(expected);
      expect(ran(events, "j")).toBe(1);
      expect(ran(events, "o")).toBe(1);
    }
  });

  it("fans out 1,000 items with a concurrency cap and collects them in order", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "items", type: "json" }] }],
        ["m", "parallel-map", { itemsFrom: "items", itemName: "it", maxConcurrency: 50 }],
        ["sq", "js-transform", { code: "return state.it * state.it;", outputKey: "sq" }],
        ["t", "template", { template: "{{it}}:{{sq}}" }],
        ["j", "join", { outputKey: "all" }],
        ["o", "output", { value: "{{json all}}" }],
      ],
      ["start->m", "m->sq:each", "sq->t", "t->j", "j->o"],
    );
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const t = Date.now();
    const { outcome, events } = await collectRun(compileWorkflow(doc, services), { runId: "fan", input: { items } });
    const ms = Date.now() - t;
    expect(outcome.status).toBe("succeeded");
    expect(outcome.result).toEqual(items.map((i) => `${i}:${i * i}`));
    expect(ran(events, "sq")).toBe(1000);
    expect(
      new Set(
        ofType(events, "node.finished")
          .filter((e) => e.nodeId === "t")
          .map((e) => e.itemIndex),
      ).size,
    ).toBe(1000);
    expect(ms).toBeLessThan(30_000);
  }, 60_000);

  it("caps concurrency per map", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "items", type: "json" }] }],
        ["m", "parallel-map", { itemsFrom: "items", maxConcurrency: 3 }],
        ["d", "delay", { ms: 20 }],
        ["j", "join", {}],
        ["o", "output", { value: "{{json j}}" }],
      ],
      ["start->m", "m->d:each", "d->j", "j->o"],
    );
    const { events } = await collectRun(compileWorkflow(doc, services), { runId: "cap", input: { items: Array.from({ length: 12 }, (_, i) => i) } });
    let live = 0,
      peak = 0;
    for (const e of events) {
      if (e.type === "node.started" && e.nodeId === "d") peak = Math.max(peak, ++live);
      if (e.type === "node.finished" && e.nodeId === "d") live--;
    }
    expect(peak).toBe(3);
  });

  it("an empty list goes straight to the join", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "items", type: "json" }] }],
        ["m", "parallel-map", { itemsFrom: "items" }],
        ["t", "template", { template: "x" }],
        ["j", "join", {}],
        ["o", "output", { value: "{{json j}}" }],
      ],
      ["start->m", "m->t:each", "t->j", "j->o"],
    );
    expect((await collectRun(compileWorkflow(doc, services), { runId: "empty", input: { items: [] } })).outcome.result).toEqual([]);
    expect((await collectRun(compileWorkflow(doc, services), { runId: "notlist", input: { items: 5 } })).outcome.error?.code).toBe("ITEMS_NOT_A_LIST");
  });

  it("runs nested parallel maps", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "rows", type: "json" }] }],
        ["outer", "parallel-map", { itemsFrom: "rows", itemName: "row" }],
        ["inner", "parallel-map", { itemsFrom: "row", itemName: "cell" }],
        ["dbl", "js-transform", { code: "return state.cell * 2" }],
        ["ij", "join", { outputKey: "cells" }],
        ["sum", "js-transform", { code: "return state.cells.reduce((a, b) => a + b, 0)" }],
        ["oj", "join", { outputKey: "sums" }],
        ["o", "output", { value: "{{json sums}}" }],
      ],
      ["start->outer", "outer->inner:each", "inner->dbl:each", "dbl->ij", "ij->sum", "sum->oj", "oj->o"],
    );
    const { outcome } = await collectRun(compileWorkflow(doc, services), { runId: "nested", input: { rows: [[1, 2], [3], []] } });
    expect(outcome.result).toEqual([6, 6, 0]);
  });

  it("loops until a router exits", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "n", type: "number" }] }],
        ["inc", "js-transform", { code: "return (state.count ?? 0) + 1", outputKey: "count" }],
        ["check", "router", { routes: [{ name: "again", condition: "count < n" }] }],
        ["o", "output", { value: "{{count}}" }],
      ],
      ["start->inc", "inc->check", "check->inc:route:again", "check->o:default"],
    );
    const c = compileWorkflow(doc, services);
    expect(c.recursionLimit).toBeGreaterThanOrEqual(1000);
    const { outcome, events } = await collectRun(c, { runId: "loop", input: { n: 7 } });
    expect(outcome.result).toBe(7);
    expect(ran(events, "inc")).toBe(7);
    const capped = await collectRun(c, { runId: "loop2", input: { n: 1e6 }, recursionLimit: 50 });
    expect(capped.outcome.error?.code).toBe("RECURSION_LIMIT");
  });

  it("runs a sub-workflow with the parent's values and returns its output", async () => {
    const child = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "name" }] }],
        ["greet", "template", { template: "Hello {{name}}" }],
        ["o", "output", { value: "{{greet}}" }],
      ],
      ["start->greet", "greet->o"],
      {},
      "child",
    );
    const parent = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "name" }] }],
        ["sub", "sub-workflow", { workflowId: "child", outputKey: "greeting" }],
        ["o", "output", { value: "{{greeting}}!" }],
      ],
      ["start->sub", "sub->o"],
    );
    const svc = createDefaultServices({ workflows: { child }, models: { env: {} } });
    const { outcome, events } = await collectRun(compileWorkflow(parent, svc), { runId: "sub", input: { name: "Ada" } });
    expect(outcome.result).toBe("Hello Ada!");
    const inner = ofType(events, "node.finished").find((e) => e.nodeId === "greet")!;
    expect(inner.scope).toEqual(["sub"]);
    const missing = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["sub", "sub-workflow", { workflowId: "nope" }],
        ["o", "output", {}],
      ],
      ["start->sub", "sub->o"],
    );
    expect((await collectRun(compileWorkflow(missing, svc), { runId: "sub2", input: {} })).outcome.error?.code).toBe("SUB_WORKFLOW_NOT_FOUND");
    const selfCalling = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["sub", "sub-workflow", { workflowId: "self" }],
        ["o", "output", {}],
      ],
      ["start->sub", "sub->o"],
    );
    const svc2 = createDefaultServices({ workflows: { self: selfCalling } });
    expect((await collectRun(compileWorkflow(selfCalling, svc2), { runId: "sub3", input: {} })).outcome.error?.message).toMatch(/SUB_WORKFLOW_TOO_DEEP/);
    // The lookup itself failing (the database) is not "not found".
    const svc3 = { ...createDefaultServices({ models: { env: {} } }), loadWorkflow: () => Promise.reject(new Error("database is locked")) };
    const failedLookup = await collectRun(compileWorkflow(missing, svc3), { runId: "sub4", input: {} });
    expect(failedLookup.outcome.error).toMatchObject({ code: "SUB_WORKFLOW_LOAD_FAILED", message: expect.stringContaining("database is locked") });
  });

  it("parallel branches writing one field use its reducer", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["a", "template", { template: "A", outputKey: "log" }],
        ["b", "template", { template: "B", outputKey: "log" }],
        ["j", "join", {}],
        ["o", "output", { value: "{{json log}}" }],
      ],
      ["start->a", "start->b", "a->j", "b->j", "j->o"],
      { stateFields: [{ name: "log", type: "list", reducer: "append" }] },
    );
    const { outcome } = await collectRun(compileWorkflow(doc, services), { runId: "reduce", input: {} });
    expect([...(outcome.result as string[])].sort()).toEqual(["A", "B"]);
  });
});
