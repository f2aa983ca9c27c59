import { describe, expect, it } from "vitest";
import { buildFlowGraph } from "./flow-graph";
import { articulationPointsAndBridges } from "./articulation";
import { bridgeGraph, chain, diamond, loopWithExit, twoBranches, twoComponents } from "./fixtures/small-graphs";
import { generateLayeredWorkflow } from "./fixtures/layered-workflow";
import type { WorkflowDocument } from "@/lib/workflow/schema";

function cuts(d: WorkflowDocument) {
  const g = buildFlowGraph(d);
  const r = articulationPointsAndBridges(g);
  const points: Record<string, number[]> = {};
  r.articulationParts.forEach((p, v) => {
    if (p) points[g.ids[v]] = p;
  });
  const bridges: Record<string, [number, number]> = {};
  r.bridgeSides.forEach((sides, i) => {
    if (sides) bridges[`${g.ids[g.pairs[i].s]}-${g.ids[g.pairs[i].t]}`] = sides;
  });
  return { points, bridges };
}

describe("articulationPointsAndBridges", () => {
  it("chain: every inner node is a cut point and every edge a bridge", () => {
    expect(cuts(chain())).toEqual({
      points: { a: [2, 1], b: [2, 1] },
      bridges: { "start-a": [1, 3], "a-b": [2, 2], "b-output": [3, 1] },
    });
  });

  it("diamond: the cycle leaves no single point of failure", () => expect(cuts(diamond())).toEqual({ points: {}, bridges: {} }));

  it("two branches joined: only the join (cuts off the output) and its outgoing edge", () => {
    expect(cuts(twoBranches())).toEqual({ points: { j: [4, 1] }, bridges: { "j-output": [5, 1] } });
  });

  it("loop with router exit: a and r are cut points; the antiparallel pair a⇄r is not a bridge", () => {
    expect(cuts(loopWithExit())).toEqual({ points: { a: [2, 1], r: [2, 1] }, bridges: { "start-a": [1, 3], "r-output": [3, 1] } });
  });

  it("two components: each analysed on its own", () => {
    expect(cuts(twoComponents())).toEqual({ points: { a: [1, 1] }, bridges: { "start-a": [1, 2], "a-output": [2, 1], "x-y": [1, 1] } });
  });

  it("bridge graph: the two ends of the bridge, and the bridge with 3 nodes on each side", () => {
    expect(cuts(bridgeGraph())).toEqual({ points: { b: [3, 2], c: [3, 2] }, bridges: { "b-c": [3, 3] } });
  });

  it("agrees with brute force (remove each node / edge, count components) on a random graph", () => {
    const d = generateLayeredWorkflow({ nodes: 60, edgesPerNode: 1.2, seed: 5 });
    const g = buildFlowGraph(d);
    const r = articulationPointsAndBridges(g);
    const count = (skipV: number, skipPair: number) => {
      const seen = new Set<number>();
      let comps = 0;
      for (let s = 0; s < g.ids.length; s++) {
        if (s === skipV || seen.has(s)) continue;
        comps++;
        const stack = [s];
        seen.add(s);
        while (stack.length) {
          const v = stack.pop()!;
          g.pairs.forEach((p, i) => {
            if (i === skipPair) return;
            const w = p.s === v ? p.t : p.t === v ? p.s : -1;
            if (w >= 0 && w !== skipV && !seen.has(w)) {
              seen.add(w);
              stack.push(w);
            }
          });
        }
      }
      return comps;
    };
    const base = count(-1, -1);
    for (let v = 0; v < g.ids.length; v++) expect(r.articulationParts[v] !== null, g.ids[v]).toBe(count(v, -1) > base);
    g.pairs.forEach((_, i) => expect(r.bridgeSides[i] !== null, `pair ${i}`).toBe(count(-1, i) > base));
  });
});
