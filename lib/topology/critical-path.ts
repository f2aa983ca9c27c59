import type { FlowGraph } from "./flow-graph";
import type { Condensation } from "./loops";

export interface CriticalPath {
  /** Sum of the weights of the components on the path (ms). 0 for an empty graph. */
  lengthMs: number;
  /** Vertices on the path, component by component; a loop's members in document order. */
  vertices: number[];
  /** Components on the path, first to last. */
  components: number[];
  /** Document indices of the flow edges on the path (between consecutive components, and inside loops on it), ascending. */
  edgeDocIndices: number[];
  /** Per component: the heaviest path ending with it, its own weight included (earliest finish). */
  finishMs: Float64Array;
  /** Per component: its own weight (sum of its members' weights). */
  componentWeightMs: Float64Array;
}

/**
 * Critical path: the heaviest path through the flow graph after condensing every loop into one step.
 *
 * Definition: with w(v) ≥ 0 the time of node v per run (observed or estimated; a loop's members
 * count with everything they do in a run), and W(C) = Σ w(v) over the members of component C, the
 * critical path is the source-to-sink path of components maximising Σ W(C). Its length is the
 * earliest a run can finish if every step runs as soon as its inputs are ready (routers are assumed
 * to be able to take any route: it is the worst case over routes).
 *
 * 1. Sum member weights per component.
 * 2. In topological order, finish(C) = W(C) + max finish(P) over predecessor components P (0 if none);
 *    remember the predecessor that gives the max (ties: the one whose first member comes first in
 *    the document).
 * 3. End at the sink component with the largest finish (ties: first in the document); one always
 *    exists because weights are non-negative.
 * 4. Walk the remembered predecessors back to a source, then reverse.
 * 5. Collect the flow edges between consecutive components on the path and inside loops on it.
 */
export function criticalPath(graph: FlowGraph, cond: Condensation, weightMs: ArrayLike<number>): CriticalPath {
  const count = cond.members.length;
  const first = (c: number) => cond.members[c][0];
  // 1. Component weights.
  const componentWeightMs = new Float64Array(count);
  for (let c = 0; c < count; c++) for (const v of cond.members[c]) componentWeightMs[c] += weightMs[v];

  // 2. Longest path DP.
  const finishMs = new Float64Array(count);
  const best = new Int32Array(count).fill(-1);
  for (const c of cond.order) {
    let bestP = -1;
    for (const p of cond.preds[c]) {
      if (bestP === -1 || finishMs[p] > finishMs[bestP] || (finishMs[p] === finishMs[bestP] && first(p) < first(bestP))) bestP = p;
    }
    best[c] = bestP;
    finishMs[c] = componentWeightMs[c] + (bestP === -1 ? 0 : finishMs[bestP]);
  }

  // 3. End.
  let end = -1;
  for (let c = 0; c < count; c++) {
    if (cond.succs[c].length) continue;
    if (end === -1 || finishMs[c] > finishMs[end] || (finishMs[c] === finishMs[end] && first(c) < first(end))) end = c;
  }
  if (end === -1) return { lengthMs: 0, vertices: [], components: [], edgeDocIndices: [], finishMs, componentWeightMs };

  // 4. Walk back.
  const components: number[] = [];
  for (let c = end; c !== -1; c = best[c]) components.push(c);
  components.reverse();
  const vertices = components.flatMap((c) => cond.members[c]);

  // 5. Edges.
  const position = new Int32Array(count).fill(-1);
  components.forEach((c, i) => (position[c] = i));
  const edgeDocIndices: number[] = [];
  for (const fe of graph.flowEdges) {
    const a = cond.componentOf[fe.s];
    const b = cond.componentOf[fe.t];
    if (position[a] === -1 || position[b] === -1) continue;
    if (a === b ? cond.cyclic[a] : position[b] === position[a] + 1) edgeDocIndices.push(fe.docIndex);
  }
  edgeDocIndices.sort((x, y) => x - y);
  return { lengthMs: finishMs[end], vertices, components, edgeDocIndices, finishMs, componentWeightMs };
}
