import type { FlowGraph } from "./flow-graph";

export interface CutStructure {
  /** Per vertex: null, or (for an articulation point) the node counts of the parts its removal leaves, largest first. */
  articulationParts: (number[] | null)[];
  /** Per flow pair (index into graph.pairs): null, or (for a bridge) the node counts of its source's side and its target's side. */
  bridgeSides: ([number, number] | null)[];
}

/**
 * Articulation points and bridges: the single points of failure of the flow structure.
 *
 * Definitions, over the underlying undirected multigraph U of the flow graph (one undirected edge per
 * distinct ordered flow pair, so u→v plus v→u are two parallel edges and neither is a bridge; self
 * loops ignored):
 * - an articulation point is a node whose removal (with its edges) increases the number of connected
 *   components of U: every route between the parts it separates passes through it;
 * - a bridge is an edge whose removal increases the number of connected components of U.
 *
 * Algorithm (Hopcroft–Tarjan low-points, iterative so 10,000-node chains cannot overflow the stack):
 * 1. Depth-first search from every unvisited vertex in document order; disc(v) is the visit order,
 *    low(v) the smallest disc reachable from v's subtree using one non-tree edge. Only the edge used
 *    to enter v is skipped (by edge id, not by neighbour), so parallel edges count as cycles.
 * 2. When child c of p finishes: low(p) = min(low(p), low(c)), size(p) += size(c);
 *    if low(c) ≥ disc(p), c's subtree is cut off by removing p (a part of size(c));
 *    if low(c) > disc(p), the edge p–c is a bridge with sides size(c) and |component| − size(c).
 * 3. A DFS root is an articulation point when it has two or more children; any other vertex when at
 *    least one child is cut off, plus the part holding its parent (|component| − 1 − Σ cut parts).
 */
export function articulationPointsAndBridges(graph: FlowGraph): CutStructure {
  const n = graph.ids.length;
  // Undirected adjacency as (neighbour, pair id) lists.
  const adjStart = new Int32Array(n + 1);
  for (const { s, t } of graph.pairs) {
    adjStart[s + 1]++;
    adjStart[t + 1]++;
  }
  for (let i = 0; i < n; i++) adjStart[i + 1] += adjStart[i];
  const fill = adjStart.slice(0, n);
  const nbr = new Int32Array(adjStart[n]);
  const via = new Int32Array(adjStart[n]);
  graph.pairs.forEach(({ s, t }, p) => {
    nbr[fill[s]] = t;
    via[fill[s]++] = p;
    nbr[fill[t]] = s;
    via[fill[t]++] = p;
  });

  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const size = new Int32Array(n);
  const enteredBy = new Int32Array(n).fill(-1);
  const parentOf = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  const cutChildSizes = new Array<number[] | null>(n).fill(null);
  const bridgeChild: { pair: number; child: number }[] = [];
  const articulationParts = new Array<number[] | null>(n).fill(null);
  const bridgeSides = new Array<[number, number] | null>(graph.pairs.length).fill(null);
  let counter = 0;
  const stack: number[] = [];

  for (let root = 0; root < n; root++) {
    if (disc[root] !== -1) continue;
    // 1. DFS.
    const treeVertices: number[] = [];
    disc[root] = low[root] = counter++;
    size[root] = 1;
    next[root] = adjStart[root];
    stack.push(root);
    treeVertices.push(root);
    bridgeChild.length = 0;
    while (stack.length) {
      const v = stack[stack.length - 1];
      if (next[v] < adjStart[v + 1]) {
        const i = next[v]++;
        const w = nbr[i];
        if (via[i] === enteredBy[v]) continue;
        if (disc[w] === -1) {
          disc[w] = low[w] = counter++;
          size[w] = 1;
          enteredBy[w] = via[i];
          parentOf[w] = v;
          next[w] = adjStart[w];
          stack.push(w);
          treeVertices.push(w);
        } else if (disc[w] < low[v]) low[v] = disc[w];
        continue;
      }
      // 2. v is finished: report to its parent.
      stack.pop();
      const p = parentOf[v];
      if (p === -1) continue;
      if (low[v] < low[p]) low[p] = low[v];
      size[p] += size[v];
      if (low[v] >= disc[p]) (cutChildSizes[p] ??= []).push(size[v]);
      if (low[v] > disc[p]) bridgeChild.push({ pair: enteredBy[v], child: v });
    }
    // 3. Parts, now that the component size is known.
    const total = size[root];
    for (const v of treeVertices) {
      const cut = cutChildSizes[v];
      if (!cut) continue;
      if (v === root) {
        if (cut.length >= 2) articulationParts[v] = [...cut].sort((a, b) => b - a);
      } else {
        const rest = total - 1 - cut.reduce((a, b) => a + b, 0);
        articulationParts[v] = [...cut, rest].sort((a, b) => b - a);
      }
    }
    for (const { pair, child } of bridgeChild) {
      const sides: [number, number] = [size[child], total - size[child]];
      bridgeSides[pair] = graph.pairs[pair].s === child ? sides : [sides[1], sides[0]];
    }
  }
  return { articulationParts, bridgeSides };
}
