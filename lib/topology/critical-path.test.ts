import { describe, expect, it } from "vitest";
import { buildFlowGraph } from "./flow-graph";
import { condense } from "./loops";
import { criticalPath } from "./critical-path";
import { estimateNodeLatencyMs } from "./estimates";
import { bridgeGraph, chain, diamond, doc, loopWithExit, twoBranches } from "./fixtures/small-graphs";
import type { WorkflowDocument } from "@/lib/workflow/schema";

function cp(d: WorkflowDocument, weights?: Record<string, number>) {
  const g = buildFlowGraph(d);
  const w = g.nodes.map((n) => weights?.[n.id] ?? estimateNodeLatencyMs(n));
  const r = criticalPath(g, condense(g), w);
  return { lengthMs: r.lengthMs, nodes: r.vertices.map((v) => g.ids[v]), edges: r.edgeDocIndices.map((i) => d.edges[i].id) };
}

describe("criticalPath", () => {
  it("chain: every node, weights summed (agents 2.5 s each)", () => {
    expect(cp(chain())).toEqual({ lengthMs: 5000, nodes: ["start", "a", "b", "output"], edges: ["start-a", "a-b", "b-output"] });
  });

  it("diamond: through the slower branch (agent 2.5 s beats HTTP 0.3 s)", () => {
    expect(cp(diamond())).toEqual({ lengthMs: 2500, nodes: ["start", "a", "j"], edges: ["start-a", "a-j"] });
    expect(cp(diamond(), { a: 100, b: 900 })).toEqual({ lengthMs: 900, nodes: ["start", "b", "j"], edges: ["start-b", "b-j"] });
  });

  it("two branches joined: the longer branch in time, not in hops", () => {
    expect(cp(twoBranches())).toEqual({ lengthMs: 5000, nodes: ["start", "a1", "a2", "j", "output"], edges: ["start-a1", "a1-a2", "a2-j", "j-output"] });
    expect(cp(twoBranches(), { b1: 6000 }).nodes).toEqual(["start", "b1", "j", "output"]);
  });

  it("loop: condensed into one step whose weight is the sum of its members, with its inner edges", () => {
    expect(cp(loopWithExit())).toEqual({
      lengthMs: 2501,
      nodes: ["start", "a", "r", "output"],
      edges: ["start-a", "a-r", "r-a-route:again", "r-output-default"],
    });
  });

  it("bridge graph: the longest route over both triangles", () => {
    expect(cp(bridgeGraph())).toEqual({ lengthMs: 10_000, nodes: ["start", "a", "b", "c", "d", "e"], edges: ["start-a", "a-b", "b-c", "c-d", "d-e"] });
  });

  it("ties break towards the node that comes first in the document; ends at a sink", () => {
    const d = doc(
      [
        ["s", "start"],
        ["x", "template", { template: "x" }],
        ["y", "template", { template: "y" }],
        ["o", "output"],
      ],
      [
        ["s", "y"],
        ["s", "x"],
        ["x", "o"],
        ["y", "o"],
      ],
    );
    expect(cp(d).nodes).toEqual(["s", "x", "o"]);
  });

  it("empty graph: length 0, no path", () => {
    expect(cp(doc([], []))).toEqual({ lengthMs: 0, nodes: [], edges: [] });
  });
});
