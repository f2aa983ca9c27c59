import type { Condensation } from "./loops";

/**
 * Depth of every vertex, and of the workflow.
 *
 * Definition: depth(v) is the number of edges on the longest path of the condensation that ends at
 * v's component (a loop counts as one step, so depth is finite); nodes with no predecessor have depth
 * 0. The workflow's depth is the largest node depth (a chain of three nodes has depth 2), 0 for an
 * empty graph.
 *
 * 1. In topological order, depth(C) = 0 without predecessors, else 1 + max depth(P).
 * 2. Each vertex takes its component's depth.
 */
export function nodeDepths(cond: Condensation, vertexCount: number): { depth: Int32Array; max: number } {
  const cdepth = new Int32Array(cond.members.length);
  // 1.
  for (const c of cond.order) {
    let d = 0;
    for (const p of cond.preds[c]) d = Math.max(d, cdepth[p] + 1);
    cdepth[c] = d;
  }
  // 2.
  const depth = new Int32Array(vertexCount);
  let max = 0;
  for (let v = 0; v < vertexCount; v++) {
    depth[v] = cdepth[cond.componentOf[v]];
    if (depth[v] > max) max = depth[v];
  }
  return { depth, max };
}
