import { describe, expect, it } from "vitest";
import { buildFlowGraph } from "./flow-graph";
import { bettiNumbers } from "./betti";
import { bridgeGraph, chain, diamond, doc, loopWithExit, twoBranches, twoComponents } from "./fixtures/small-graphs";
import type { WorkflowDocument } from "@/lib/workflow/schema";

const betti = (d: WorkflowDocument) => {
  const r = bettiNumbers(buildFlowGraph(d));
  return { b0: r.b0, b1: r.b1, E: r.edgeCount };
};

describe("bettiNumbers", () => {
  it("chain: one component, no cycle (E 3 − V 4 + 1)", () => expect(betti(chain())).toEqual({ b0: 1, b1: 0, E: 3 }));
  it("diamond: one independent cycle (4 − 4 + 1)", () => expect(betti(diamond())).toEqual({ b0: 1, b1: 1, E: 4 }));
  it("two branches joined: one cycle (6 − 6 + 1)", () => expect(betti(twoBranches())).toEqual({ b0: 1, b1: 1, E: 6 }));
  it("loop with router exit: a→r and r→a are two edges, one cycle (4 − 4 + 1)", () => expect(betti(loopWithExit())).toEqual({ b0: 1, b1: 1, E: 4 }));
  it("two components: b0 = 2, no cycle (3 − 5 + 2)", () => expect(betti(twoComponents())).toEqual({ b0: 2, b1: 0, E: 3 }));
  it("bridge graph: two triangles (7 − 6 + 1)", () => expect(betti(bridgeGraph())).toEqual({ b0: 1, b1: 2, E: 7 }));

  it("duplicate edges count once, a self-loop counts as a cycle", () => {
    const d = doc(
      [
        ["r", "router", { routes: [{ name: "x", condition: "1" }] }],
        ["t", "template", { template: "t" }],
      ],
      [
        ["r", "t", "route:x"],
        ["r", "t", "default"],
        ["t", "t"],
      ],
    );
    expect(betti(d)).toEqual({ b0: 1, b1: 1, E: 2 });
  });

  it("numbers components by their first node in the document", () => {
    const r = bettiNumbers(buildFlowGraph(twoComponents()));
    expect(Array.from(r.componentOf)).toEqual([0, 0, 0, 1, 1]);
    expect(r.componentSizes).toEqual([3, 2]);
  });

  it("isolated nodes are components of their own", () => {
    expect(
      betti(
        doc(
          [
            ["a", "template"],
            ["b", "template"],
          ],
          [],
        ),
      ),
    ).toEqual({ b0: 2, b1: 0, E: 0 });
  });
});
