import { describe, expect, it } from "vitest";
import { buildFlowGraph } from "./flow-graph";
import { condense } from "./loops";
import { nodeDepths } from "./depth";
import { fanInOut } from "./fan";
import { bridgeGraph, chain, diamond, loopWithExit, twoBranches, twoComponents } from "./fixtures/small-graphs";
import type { WorkflowDocument } from "@/lib/workflow/schema";

function depthOf(d: WorkflowDocument) {
  const g = buildFlowGraph(d);
  const { depth, max } = nodeDepths(condense(g), g.ids.length);
  return { byId: Object.fromEntries(g.ids.map((id, v) => [id, depth[v]])), max };
}
function fanOf(d: WorkflowDocument) {
  const g = buildFlowGraph(d);
  const { fanIn, fanOut } = fanInOut(g);
  return Object.fromEntries(g.ids.map((id, v) => [id, [fanIn[v], fanOut[v]]]));
}

describe("nodeDepths", () => {
  it("chain: 0,1,2,3 and depth 3", () => expect(depthOf(chain())).toEqual({ byId: { start: 0, a: 1, b: 2, output: 3 }, max: 3 }));
  it("diamond: the join is two steps down", () => expect(depthOf(diamond())).toEqual({ byId: { start: 0, a: 1, b: 1, j: 2 }, max: 2 }));
  it("two branches: the longest chain of hops decides", () =>
    expect(depthOf(twoBranches())).toEqual({ byId: { start: 0, a1: 1, a2: 2, b1: 1, j: 3, output: 4 }, max: 4 }));
  it("loop: the loop counts as one level", () => expect(depthOf(loopWithExit())).toEqual({ byId: { start: 0, a: 1, r: 1, output: 2 }, max: 2 }));
  it("two components: each from its own source", () => expect(depthOf(twoComponents())).toEqual({ byId: { start: 0, a: 1, output: 2, x: 0, y: 1 }, max: 2 }));
  it("bridge graph", () => expect(depthOf(bridgeGraph())).toEqual({ byId: { start: 0, a: 1, b: 2, c: 3, d: 4, e: 5 }, max: 5 }));
});

describe("fanInOut", () => {
  it("chain", () => expect(fanOf(chain())).toEqual({ start: [0, 1], a: [1, 1], b: [1, 1], output: [1, 0] }));
  it("diamond: start fans out to 2, the join has 2 inputs", () => expect(fanOf(diamond())).toEqual({ start: [0, 2], a: [1, 1], b: [1, 1], j: [2, 0] }));
  it("loop: the router has two successors, a has two predecessors", () =>
    expect(fanOf(loopWithExit())).toEqual({ start: [0, 1], a: [2, 1], r: [1, 2], output: [1, 0] }));
  it("bridge graph", () => expect(fanOf(bridgeGraph())).toEqual({ start: [0, 2], a: [1, 1], b: [2, 1], c: [1, 2], d: [1, 1], e: [2, 0] }));
});
