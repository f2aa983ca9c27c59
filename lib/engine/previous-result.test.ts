import { describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "../workflow";
import { collectRun, compileWorkflow, createDefaultServices } from "./index";
import { buildWorkflow } from "./testing";
import { planWorkflow } from "./plan";
import { previousResult } from "./previous-result";
import type { EngineEvent } from "../contracts/events";

const services = createDefaultServices({ models: { env: {} } });
const finished = (events: EngineEvent[]) => events.find((e): e is Extract<EngineEvent, { type: "run.finished" }> => e.type === "run.finished")!;

describe("Output with an empty value", () => {
  it("a new workflow (Start → Output) returns the run input, from Start", async () => {
    const { events, outcome } = await collectRun(compileWorkflow(createEmptyWorkflow("New"), services), { runId: "p1", input: { input: "hello" } });
    expect(outcome.result).toBe("hello");
    expect(finished(events).resultFrom).toBe("start");
  });

  it("returns the Agent's answer once an Agent sits between Start and Output", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "input" }] }],
        ["ag", "agent", { role: "Researcher" }],
        ["out", "output", {}],
      ],
      ["start->ag", "ag->out"],
    );
    const { events, outcome } = await collectRun(compileWorkflow(doc, services), { runId: "p2", input: { input: "What is LangGraph?" } });
    expect(outcome.result).toMatch(/^\[Simulated model\]/);
    expect(outcome.result).not.toBe("What is LangGraph?");
    expect(finished(events).resultFrom).toBe("ag");
  });

  it("walks past nodes that write nothing and branches that did not run", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "x", type: "number" }] }],
        ["t", "template", { template: "from t" }],
        ["r", "router", { routes: [{ name: "big", condition: "x > 10" }] }],
        ["a", "template", { template: "big {{x}}" }],
        ["out", "output", { value: "  " }],
      ],
      ["start->t", "t->r", "r->a:route:big", "r->out:default", "a->out"],
    );
    const big = await collectRun(compileWorkflow(doc, services), { runId: "p3", input: { x: 20 } });
    expect(big.outcome.result).toBe("big 20");
    expect(finished(big.events).resultFrom).toBe("a");
    const small = await collectRun(compileWorkflow(doc, services), { runId: "p4", input: { x: 1 } });
    expect(small.outcome.result).toBe("from t");
    expect(finished(small.events).resultFrom).toBe("t");
  });

  it("keeps template values working as before, with no resultFrom", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "input" }] }],
        ["out", "output", { value: "{{input}}!" }],
      ],
      ["start->out"],
    );
    const { events, outcome } = await collectRun(compileWorkflow(doc, services), { runId: "p5", input: { input: "hi" } });
    expect(outcome.result).toBe("hi!");
    expect(finished(events).resultFrom).toBeUndefined();
  });

  it("is null with no source when nothing before the Output produced a value", () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["d", "delay", { ms: 1 }],
        ["out", "output", {}],
      ],
      ["start->d", "d->out"],
    );
    const { plan } = planWorkflow(doc);
    expect(previousResult(plan!, "out", {})).toEqual({ from: "start", value: {} });
    const lone = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["out", "output", {}],
      ],
      [],
    );
    expect(previousResult(planWorkflow(lone).plan!, "out", {})).toEqual({ value: null });
  });
});
