import type { FlowGraph } from "./flow-graph";

/**
 * Fan-in and fan-out.
 *
 * Definition: fanIn(v) is the number of distinct nodes with a flow edge into v, fanOut(v) the number
 * of distinct nodes v has a flow edge to; self-loops, duplicate edges (two router routes to the same
 * node) and tool attachments do not count. A node with fanIn ≥ 2 is a join point: every incoming
 * branch meets there.
 */
export function fanInOut(graph: FlowGraph): { fanIn: Int32Array; fanOut: Int32Array } {
  const n = graph.ids.length;
  const fanIn = new Int32Array(n);
  const fanOut = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    fanIn[v] = graph.in[v].length;
    fanOut[v] = graph.out[v].length;
  }
  return { fanIn, fanOut };
}
