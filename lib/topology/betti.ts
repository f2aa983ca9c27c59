import type { FlowGraph } from "./flow-graph";

export interface BettiNumbers {
  /** b0: weakly connected components. */
  b0: number;
  /** b1: independent cycles of the underlying undirected graph. */
  b1: number;
  /** Vertex → weak component, numbered 0… in order of each component's first node in the document. */
  componentOf: Int32Array;
  /** Size of each weak component. */
  componentSizes: number[];
  /** The edge count E used for b1 (see the definition). */
  edgeCount: number;
}

/**
 * Betti numbers of the flow graph seen as a 1-dimensional complex.
 *
 * Definitions, over the underlying undirected multigraph U of the flow graph:
 * - V: flow nodes (tool-only nodes excluded);
 * - E: one edge per distinct ordered pair (u, v) joined by a flow edge. So two edges u→v (two router
 *   routes to the same node) count once — an alternative, not a loop; u→v and v→u count twice — a
 *   real feedback loop; a self-loop u→u counts once (it is a cycle);
 * - b0 = number of connected components of U (weakly connected components of the flow graph);
 * - b1 = E − V + b0, the cycle rank: the number of independent cycles. Diamonds (branches that
 *   rejoin) and feedback loops both add to it; a tree (or a forest) has b1 = 0.
 *
 * 1. Union-find over the distinct pairs gives the components;
 * 2. number them by first vertex in document order;
 * 3. b1 = E − V + b0 with E = distinct pairs + vertices with a self-loop.
 */
export function bettiNumbers(graph: FlowGraph): BettiNumbers {
  const n = graph.ids.length;
  // 1. Union-find with path halving.
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number) => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (const { s, t } of graph.pairs) {
    const a = find(s),
      b = find(t);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  // 2. Number components.
  const componentOf = new Int32Array(n);
  const idOfRoot = new Map<number, number>();
  const componentSizes: number[] = [];
  for (let v = 0; v < n; v++) {
    const r = find(v);
    let c = idOfRoot.get(r);
    if (c === undefined) {
      c = componentSizes.length;
      idOfRoot.set(r, c);
      componentSizes.push(0);
    }
    componentOf[v] = c;
    componentSizes[c]++;
  }
  // 3.
  let selfLoops = 0;
  for (let v = 0; v < n; v++) if (graph.selfLoop[v]) selfLoops++;
  const edgeCount = graph.pairs.length + selfLoops;
  const b0 = componentSizes.length;
  return { b0, b1: edgeCount - n + b0, componentOf, componentSizes, edgeCount };
}
