import Graph from "graphology";
import graphologyBetweenness from "graphology-metrics/centrality/betweenness";
import type { FlowGraph } from "./flow-graph";
import type { Condensation } from "./loops";
import { seededRandom } from "./random";

/** Up to this many flow nodes, betweenness is exact; above it, sampled (see `betweennessCentrality`). */
export const EXACT_BETWEENNESS_MAX_NODES = 1000;
/** Source nodes (pivots) used by the sampled estimate. */
export const BETWEENNESS_SAMPLE_PIVOTS = 256;
/** graphology-metrics counts shortest paths in 32-bit unsigned integers. */
const UINT32_LIMIT = 2 ** 32 - 1;

export interface BetweennessResult {
  /** Per vertex, normalised: raw betweenness / ((n − 1)(n − 2)); 0 when n ≤ 2. */
  values: Float64Array;
  method: "exact" | "sampled";
  implementation: "graphology-metrics" | "brandes-float64";
  /** Source nodes whose shortest paths were counted (n when exact). */
  pivots: number;
}

export interface BetweennessOptions {
  exactMaxNodes?: number;
  pivots?: number;
  seed?: number;
}

/**
 * Betweenness centrality of every flow node.
 *
 * Definition: over the directed flow graph (distinct edges, unweighted: one hop per edge),
 * CB(v) = Σ over ordered pairs s ≠ v ≠ t of σst(v) / σst, where σst is the number of shortest s→t
 * paths and σst(v) the number of them through v; pairs with no path contribute 0. Reported
 * normalised by (n − 1)(n − 2), the number of ordered pairs not involving v, so it lies in [0, 1]
 * (in a DAG it rarely exceeds 0.25: only predecessors can reach only successors through v).
 *
 * 1. n ≤ `exactMaxNodes` (default 1,000): exact. By graphology-metrics (Brandes' algorithm), unless a
 *    path-count bound says its 32-bit path counters could overflow (`shortestPathCountBound`); then
 *    by our own Brandes with float64 counters, which is exact too.
 * 2. Above: sampled (Brandes & Pich 2007). Choose k = `pivots` (default 256) distinct sources
 *    uniformly with a seeded PRNG, accumulate their dependencies with Brandes' algorithm, and scale by
 *    n/k: an unbiased estimate of CB(v) whose error shrinks like 1/√k. Same seed, same result.
 */
export function betweennessCentrality(graph: FlowGraph, cond: Condensation, options: BetweennessOptions = {}): BetweennessResult {
  const n = graph.ids.length;
  const exactMax = options.exactMaxNodes ?? EXACT_BETWEENNESS_MAX_NODES;
  if (n <= 2) return { values: new Float64Array(n), method: "exact", implementation: "brandes-float64", pivots: n };
  const scale = 1 / ((n - 1) * (n - 2));
  // 1. Exact.
  if (n <= exactMax) {
    if (shortestPathCountBound(graph, cond) <= UINT32_LIMIT) {
      // Keys are vertex indices, not node ids: graphology keeps adjacency in plain objects, and a
      // node id such as "constructor" (valid in a document) collides with Object.prototype there.
      const g = new Graph({ type: "directed", multi: false, allowSelfLoops: false });
      for (let v = 0; v < n; v++) g.addNode(String(v));
      for (const { s, t } of graph.pairs) g.addDirectedEdge(String(s), String(t));
      const byKey = graphologyBetweenness(g, { getEdgeWeight: null, normalized: true });
      const values = new Float64Array(n);
      for (let v = 0; v < n; v++) values[v] = byKey[String(v)] ?? 0;
      return { values, method: "exact", implementation: "graphology-metrics", pivots: n };
    }
    const sources = Array.from({ length: n }, (_, i) => i);
    return { values: brandes(graph, sources, scale), method: "exact", implementation: "brandes-float64", pivots: n };
  }
  // 2. Sampled.
  const k = Math.min(n, Math.max(1, options.pivots ?? BETWEENNESS_SAMPLE_PIVOTS));
  const rand = seededRandom(options.seed ?? 0x70b0);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const sources = perm.slice(0, k).sort((a, b) => a - b);
  return { values: brandes(graph, sources, (scale * n) / k), method: k === n ? "exact" : "sampled", implementation: "brandes-float64", pivots: k };
}

/**
 * An upper bound on the number of shortest paths between any two nodes, to decide whether 32-bit
 * path counters are safe. B(C) bounds the simple paths ending at any member of component C:
 * B(C) = g(|C|) · (|C| + Σ B(P) over flow pairs entering C from component P), with g(1) = 1 and
 * g(k) = k! (at least the number of simple paths between two nodes of a k-node component). A
 * shortest path is simple and enters each component at most once, so σst ≤ max B. Float64, so
 * overflow shows up as a huge number or Infinity, never as a wrap.
 */
export function shortestPathCountBound(graph: FlowGraph, cond: Condensation): number {
  const count = cond.members.length;
  const bound = new Float64Array(count);
  const entering: number[][] = cond.members.map(() => []);
  for (const { s, t } of graph.pairs) {
    const a = cond.componentOf[s],
      b = cond.componentOf[t];
    if (a !== b) entering[b].push(a);
  }
  let max = 0;
  for (const c of cond.order) {
    const k = cond.members[c].length;
    let sum = k;
    for (const p of entering[c]) sum += bound[p];
    let g = 1;
    for (let i = 2; i <= k && g < Infinity; i++) g *= i;
    bound[c] = g * sum;
    if (bound[c] > max) max = bound[c];
  }
  return max;
}

/**
 * Brandes' accumulation from the given sources over the unweighted directed flow graph, with float64
 * path counts; returns Σ over sources of the dependencies, times `scale`.
 * Per source: BFS gives distances and path counts σ; then, in reverse BFS order, each node w passes
 * σv/σw · (1 + δw) to every predecessor v one hop closer. No allocation per source.
 */
function brandes(graph: FlowGraph, sources: readonly number[], scale: number): Float64Array {
  const n = graph.ids.length;
  const { out, in: inn } = graph;
  const dist = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  const delta = new Float64Array(n);
  const queue = new Int32Array(n);
  const bc = new Float64Array(n);
  for (const s of sources) {
    dist[s] = 0;
    sigma[s] = 1;
    queue[0] = s;
    let head = 0,
      tail = 1;
    while (head < tail) {
      const v = queue[head++];
      const dv = dist[v] + 1;
      const sv = sigma[v];
      const succ = out[v];
      for (let j = 0; j < succ.length; j++) {
        const w = succ[j];
        if (dist[w] < 0) {
          dist[w] = dv;
          queue[tail++] = w;
        }
        if (dist[w] === dv) sigma[w] += sv;
      }
    }
    for (let i = tail - 1; i >= 1; i--) {
      const w = queue[i];
      const coeff = (1 + delta[w]) / sigma[w];
      const dw = dist[w] - 1;
      const pred = inn[w];
      for (let j = 0; j < pred.length; j++) {
        const v = pred[j];
        if (dist[v] === dw) delta[v] += sigma[v] * coeff;
      }
      bc[w] += delta[w];
    }
    for (let i = 0; i < tail; i++) {
      const v = queue[i];
      dist[v] = -1;
      sigma[v] = 0;
      delta[v] = 0;
    }
  }
  for (let v = 0; v < n; v++) bc[v] *= scale;
  return bc;
}
