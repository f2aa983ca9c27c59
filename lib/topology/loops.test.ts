import { describe, expect, it } from "vitest";
import { buildFlowGraph } from "./flow-graph";
import { condense } from "./loops";
import { chain, doc, loopWithExit } from "./fixtures/small-graphs";
import { generateLayeredWorkflow } from "./fixtures/layered-workflow";

const ids = (d: ReturnType<typeof chain>) => {
  const g = buildFlowGraph(d);
  const c = condense(g);
  return { g, c, names: c.members.map((m) => m.map((v) => g.ids[v])) };
};

describe("condense (strongly connected components and loops)", () => {
  it("a chain has one component per node, none cyclic, in topological order", () => {
    const { c, names } = ids(chain());
    expect(names).toEqual([["start"], ["a"], ["b"], ["output"]]);
    expect(c.cyclic).toEqual([false, false, false, false]);
    expect(c.preds).toEqual([[], [0], [1], [2]]);
  });

  it("a loop with a router exit is one cyclic component between start and output", () => {
    const { c, names } = ids(loopWithExit());
    expect(names).toEqual([["start"], ["a", "r"], ["output"]]);
    expect(c.cyclic).toEqual([false, true, false]);
    expect(c.succs).toEqual([[1], [2], []]);
  });

  it("a self-loop makes a one-node cyclic component", () => {
    const { c, names } = ids(doc([["t", "template", { template: "x" }]], [["t", "t"]]));
    expect(names).toEqual([["t"]]);
    expect(c.cyclic).toEqual([true]);
  });

  it("numbers components so every edge goes forward (random layered graph with loops)", () => {
    const { g, c } = ids(generateLayeredWorkflow({ nodes: 400, loopShare: 0.02, seed: 3 }));
    for (const { s, t } of g.pairs) expect(c.componentOf[s]).toBeLessThanOrEqual(c.componentOf[t]);
    expect(c.cyclic.some(Boolean)).toBe(true);
  });
});
