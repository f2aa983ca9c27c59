import { describe, expect, it } from "vitest";
import { buildFlowGraph } from "./flow-graph";
import { condense } from "./loops";
import { betweennessCentrality, shortestPathCountBound, type BetweennessOptions } from "./betweenness";
import { bridgeGraph, chain, diamond, doc, loopWithExit, twoBranches, twoComponents } from "./fixtures/small-graphs";
import { generateLayeredWorkflow } from "./fixtures/layered-workflow";
import type { WorkflowDocument } from "@/lib/workflow/schema";

function btw(d: WorkflowDocument, options?: BetweennessOptions) {
  const g = buildFlowGraph(d);
  const r = betweennessCentrality(g, condense(g), options);
  return { ...r, byId: Object.fromEntries(g.ids.map((id, v) => [id, Number(r.values[v].toFixed(4))])) };
}

// Hand counts: ordered pairs (s, t) whose shortest paths run through v, divided by (n − 1)(n − 2).
describe("betweennessCentrality (exact)", () => {
  it("chain (n 4, /6): a and b each lie on 2 pairs", () => {
    const r = btw(chain());
    expect(r.byId).toEqual({ start: 0, a: 0.3333, b: 0.3333, output: 0 });
    expect([r.method, r.implementation, r.pivots]).toEqual(["exact", "graphology-metrics", 4]);
  });

  it("diamond (/6): start→j has two shortest paths, so a and b get half a pair each", () => {
    expect(btw(diamond()).byId).toEqual({ start: 0, a: 0.0833, b: 0.0833, j: 0 });
  });

  it("two branches (/20): shortest, not longest, paths count — start→j goes through b1", () => {
    expect(btw(twoBranches()).byId).toEqual({ start: 0, a1: 0.05, a2: 0.1, b1: 0.1, j: 0.2, output: 0 });
  });

  it("loop with router exit (/6)", () => {
    expect(btw(loopWithExit()).byId).toEqual({ start: 0, a: 0.3333, r: 0.3333, output: 0 });
  });

  it("two components (/12): pairs across components have no path and count 0", () => {
    expect(btw(twoComponents()).byId).toEqual({ start: 0, a: 0.0833, output: 0, x: 0, y: 0 });
  });

  it("bridge graph (/20): both ends of the bridge carry 6 pairs each", () => {
    expect(btw(bridgeGraph()).byId).toEqual({ start: 0, a: 0, b: 0.3, c: 0.3, d: 0, e: 0 });
  });

  it("two nodes or fewer: all 0", () => {
    expect(
      btw(
        doc(
          [
            ["a", "template"],
            ["b", "template"],
          ],
          [["a", "b"]],
        ),
      ).byId,
    ).toEqual({ a: 0, b: 0 });
  });
});

describe("betweennessCentrality (own Brandes and sampling)", () => {
  const d = generateLayeredWorkflow({ nodes: 300, loopShare: 0.02, seed: 11 });

  it("our float64 Brandes over every source equals graphology-metrics", () => {
    const exact = btw(d);
    const ours = btw(d, { exactMaxNodes: 0, pivots: 300 });
    expect(exact.implementation).toBe("graphology-metrics");
    expect([ours.method, ours.implementation]).toEqual(["exact", "brandes-float64"]);
    for (const id of Object.keys(exact.byId)) expect(ours.byId[id]).toBeCloseTo(exact.byId[id], 4);
  });

  it("sampling above the threshold is deterministic and close to exact", () => {
    const exact = btw(d);
    const a = btw(d, { exactMaxNodes: 100, pivots: 150 });
    const b = btw(d, { exactMaxNodes: 100, pivots: 150 });
    expect([a.method, a.pivots]).toEqual(["sampled", 150]);
    expect(a.byId).toEqual(b.byId);
    const top = (r: typeof a) =>
      Object.entries(r.byId)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 10)
        .map(([id]) => id);
    const overlap = top(a).filter((id) => top(exact).includes(id)).length;
    expect(overlap).toBeGreaterThanOrEqual(6);
    const maxExact = Math.max(...Object.values(exact.byId));
    for (const id of Object.keys(exact.byId)) expect(Math.abs(a.byId[id] - exact.byId[id])).toBeLessThan(0.5 * maxExact);
  });

  it("falls back to float64 counters when 32-bit path counts could overflow", () => {
    // 34 diamonds in a row: 2^34 shortest paths from the first node to the last.
    const nodes: [string, string][] = [["n0", "template"]];
    const edges: [string, string][] = [];
    for (let i = 0; i < 34; i++) {
      nodes.push([`u${i}`, "template"], [`l${i}`, "template"], [`n${i + 1}`, "template"]);
      edges.push([`n${i}`, `u${i}`], [`n${i}`, `l${i}`], [`u${i}`, `n${i + 1}`], [`l${i}`, `n${i + 1}`]);
    }
    const big = doc(nodes, edges);
    const g = buildFlowGraph(big);
    expect(shortestPathCountBound(g, condense(g))).toBeGreaterThan(2 ** 32);
    const r = btw(big);
    expect([r.method, r.implementation]).toEqual(["exact", "brandes-float64"]);
    // n17 sits in the middle: every pair (before, after) passes through it: 17 hubs + 34 diamond nodes on each side.
    const n = g.ids.length;
    expect(r.byId.n17).toBeCloseTo((51 * 51) / ((n - 1) * (n - 2)), 4);
  });

  it("the path-count bound counts paths in a DAG and multiplies by k! inside a loop", () => {
    const g1 = buildFlowGraph(diamond());
    expect(shortestPathCountBound(g1, condense(g1))).toBe(5); // paths ending at j: j, a→j, b→j, start→a→j, start→b→j
    const g2 = buildFlowGraph(loopWithExit());
    expect(shortestPathCountBound(g2, condense(g2))).toBe(2 * (2 + 1) + 1); // {a,r}: 2!·(2 + 1) = 6; output: 1 + 6 = 7
  });
});
