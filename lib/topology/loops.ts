import { stronglyConnectedComponents } from "@/lib/workflow/graph";
import type { FlowGraph } from "./flow-graph";

/**
 * The condensation of the flow graph: every strongly connected component (SCC) becomes one
 * super-node, which turns any graph into a DAG.
 */
export interface Condensation {
  /** Vertex → component index. */
  componentOf: Int32Array;
  /** Component → member vertices, ascending (document order). */
  members: number[][];
  /** Component indices in topological order (every edge goes from an earlier to a later one). */
  order: number[];
  /** Distinct predecessor / successor components. */
  preds: number[][];
  succs: number[][];
  /** A component is a loop when it has two or more members, or one member with a self-loop. */
  cyclic: boolean[];
}

/**
 * Strongly connected components and loops of the flow graph.
 *
 * Definition: an SCC is a maximal set of nodes in which every node can reach every other along flow
 * edges. A loop is an SCC of two or more nodes, or a single node with an edge to itself.
 *
 * 1. Run Tarjan's algorithm (lib/workflow/graph.ts) over the distinct flow neighbours; it returns the
 *    SCCs in reverse topological order of the condensation.
 * 2. Number components in topological order (reverse Tarjan's list), so component 0 has no
 *    predecessor; sort members ascending.
 * 3. Collect distinct predecessor and successor components from the flow pairs.
 */
export function condense(graph: FlowGraph): Condensation {
  const n = graph.ids.length;
  // 1. Tarjan over ids (adjacency in document order keeps the result deterministic).
  const adj = new Map<string, string[]>();
  for (let v = 0; v < n; v++)
    adj.set(
      graph.ids[v],
      graph.out[v].map((w) => graph.ids[w]),
    );
  const sccs = stronglyConnectedComponents(adj);

  // 2. Topological numbering.
  const count = sccs.length;
  const componentOf = new Int32Array(n);
  const members = new Array<number[]>(count);
  for (let i = 0; i < count; i++) {
    const c = count - 1 - i;
    const list = sccs[i].map((id) => graph.indexOf.get(id)!).sort((a, b) => a - b);
    members[c] = list;
    for (const v of list) componentOf[v] = c;
  }
  const order = Array.from({ length: count }, (_, i) => i);
  const cyclic = members.map((m) => m.length > 1 || graph.selfLoop[m[0]]);

  // 3. Component adjacency.
  const preds: number[][] = members.map(() => []);
  const succs: number[][] = members.map(() => []);
  const seen = new Set<number>();
  for (const { s, t } of graph.pairs) {
    const a = componentOf[s];
    const b = componentOf[t];
    if (a === b) continue;
    const key = a * count + b;
    if (seen.has(key)) continue;
    seen.add(key);
    succs[a].push(b);
    preds[b].push(a);
  }
  return { componentOf, members, order, preds, succs, cyclic };
}
