import { describe, expect, it } from "vitest";
import { buildFlowGraph } from "./flow-graph";
import { chain, doc } from "./fixtures/small-graphs";

describe("buildFlowGraph", () => {
  it("indexes nodes in document order with distinct neighbour lists", () => {
    const g = buildFlowGraph(chain());
    expect(g.ids).toEqual(["start", "a", "b", "output"]);
    expect(g.out).toEqual([[1], [2], [3], []]);
    expect(g.in).toEqual([[], [0], [1], [2]]);
    expect(g.pairs.map((p) => [p.s, p.t])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it("sets tool attachments apart and leaves tool-only nodes out of the flow graph", () => {
    const d = doc(
      [
        ["start", "start"],
        ["agent", "agent"],
        ["search", "http-request", { url: "https://x.test", outputKey: "" }],
        ["calc", "js-transform", { code: "return 1" }],
        ["output", "output"],
      ],
      [
        ["start", "agent"],
        ["agent", "search", "tools"],
        ["agent", "calc", "tools"],
        ["agent", "calc"],
        ["calc", "output"],
      ],
    );
    const g = buildFlowGraph(d);
    // search hangs only off the Tools port; calc is also wired as a step, so it stays.
    expect(g.toolOnlyIds).toEqual(["search"]);
    expect(g.ids).toEqual(["start", "agent", "calc", "output"]);
    expect(g.toolEdges.map((e) => e.edge.id)).toEqual(["agent-search-tools", "agent-calc-tools"]);
    expect(g.flowEdges.map((e) => e.edge.id)).toEqual(["start-agent", "agent-calc", "calc-output"]);
    expect(g.toolsOf.get("agent")).toEqual(["search", "calc"]);
    expect(g.agentsOf.get("search")).toEqual(["agent"]);
  });

  it("collapses duplicate edges into one pair, keeps antiparallel pairs and flags self-loops", () => {
    const d = doc(
      [
        [
          "r",
          "router",
          {
            routes: [
              { name: "x", condition: "1" },
              { name: "y", condition: "2" },
            ],
          },
        ],
        ["t", "template", { template: "t" }],
      ],
      [
        ["r", "t", "route:x"],
        ["r", "t", "route:y"],
        ["t", "r"],
        ["t", "t"],
      ],
    );
    const g = buildFlowGraph(d);
    expect(g.pairs.map((p) => [p.s, p.t, p.edges.length])).toEqual([
      [0, 1, 2],
      [1, 0, 1],
    ]);
    expect(g.selfLoop).toEqual([false, true]);
    expect(g.out).toEqual([[1], [0]]);
    expect(g.flowEdges).toHaveLength(4);
  });

  it("ignores edges whose ends do not exist", () => {
    const d = chain();
    d.edges.push({ id: "ghost", source: "a", target: "nowhere" });
    expect(buildFlowGraph(d).flowEdges).toHaveLength(3);
  });
});
