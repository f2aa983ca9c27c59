import type { WorkflowDocument } from "@/lib/workflow/schema";
import { articulationPointsAndBridges, type CutStructure } from "./articulation";
import { bettiNumbers, type BettiNumbers } from "./betti";
import { betweennessCentrality, type BetweennessOptions, type BetweennessResult } from "./betweenness";
import { criticalPath, type CriticalPath } from "./critical-path";
import { nodeDepths } from "./depth";
import { estimateNodeLatencyMs } from "./estimates";
import { fanInOut } from "./fan";
import { buildFlowGraph, type FlowGraph } from "./flow-graph";
import { condense, type Condensation } from "./loops";
import { parallelisableGroups, type ParallelisableGroup } from "./parallelisable";
import { ownEntry, type NodeStats, type TopologyStats } from "./stats";

/** Every metric of one analysis, indexed by vertex, shared by the finders of reasons and suggestions. */
export interface TopologyContext {
  doc: WorkflowDocument;
  graph: FlowGraph;
  cond: Condensation;
  /** Stats with at least one run, else null. */
  stats: TopologyStats | null;
  /** Per vertex: its observed stats (at least one run), or null. */
  nodeStats: (NodeStats | null)[];
  weightMs: Float64Array;
  critical: CriticalPath;
  onCriticalPath: Uint8Array;
  criticalEdges: Set<number>;
  depth: Int32Array;
  maxDepth: number;
  fanIn: Int32Array;
  fanOut: Int32Array;
  betweenness: BetweennessResult;
  maxBetweenness: number;
  /** 1-based rank by betweenness (ties share the better rank). */
  betweennessRank: Int32Array;
  cut: CutStructure;
  betti: BettiNumbers;
  groups: ParallelisableGroup[];
  /** Vertex → index into `groups`, or −1. */
  groupOf: Int32Array;
  /** Component → index into the report's loop list, or −1. */
  loopOfComponent: Int32Array;
  /** Vertex → the Parallel map whose branch it is in (before the first Join), or −1. */
  mapOf: Int32Array;
  /** Vertex has a Model router with fallback upstream. */
  fallbackUpstream: Uint8Array;
  /** Stats carry edge counts (some producers may not record edges taken). */
  edgesRecorded: boolean;
  /** Observed cost per run over all nodes (0 without stats). */
  costPerRun: number;
  /** What "run time" means in sentences: the observed median run, else the critical path length. */
  referenceMs: number;
}

const statsOf = (stats: TopologyStats | null, id: string): NodeStats | null => {
  const s = stats ? ownEntry(stats.nodes, id) : undefined;
  return s && s.runs > 0 ? s : null;
};

/** Time per run of an observed node: its busy time plus the queue wait of its executions. */
export function observedWeightMs(s: NodeStats): number {
  const executionsPerRun = s.runs ? s.executions / s.runs : 0;
  return s.busyMsPerRun + s.queueWaitMs.mean * executionsPerRun;
}

/** Runs every metric once. Pure; the order of work follows the document, so results are deterministic. */
export function buildContext(doc: WorkflowDocument, stats: TopologyStats | undefined, options: BetweennessOptions): TopologyContext {
  const graph = buildFlowGraph(doc);
  const n = graph.ids.length;
  const usable = stats && stats.runs > 0 ? stats : null;
  const cond = condense(graph);

  const nodeStats = graph.nodes.map((node) => statsOf(usable, node.id));
  const weightMs = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const s = nodeStats[v];
    weightMs[v] = s ? observedWeightMs(s) : estimateNodeLatencyMs(graph.nodes[v], graph.toolsOf.get(graph.ids[v])?.length ?? 0);
  }

  const critical = criticalPath(graph, cond, weightMs);
  const onCriticalPath = new Uint8Array(n);
  for (const v of critical.vertices) onCriticalPath[v] = 1;
  const { depth, max: maxDepth } = nodeDepths(cond, n);
  const { fanIn, fanOut } = fanInOut(graph);
  const betweenness = betweennessCentrality(graph, cond, options);
  let maxBetweenness = 0;
  for (const b of betweenness.values) if (b > maxBetweenness) maxBetweenness = b;
  const betweennessRank = new Int32Array(n);
  const byValue = Array.from({ length: n }, (_, i) => i).sort((a, b) => betweenness.values[b] - betweenness.values[a] || a - b);
  byValue.forEach(
    (v, i) => (betweennessRank[v] = i > 0 && betweenness.values[byValue[i - 1]] === betweenness.values[v] ? betweennessRank[byValue[i - 1]] : i + 1),
  );

  const groups = parallelisableGroups(graph, cond, weightMs);
  const groupOf = new Int32Array(n).fill(-1);
  groups.forEach((g, i) => g.vertices.forEach((v) => (groupOf[v] = i)));

  const loopOfComponent = new Int32Array(cond.members.length).fill(-1);
  cond.members
    .map((m, c) => ({ c, first: m[0] }))
    .filter(({ c }) => cond.cyclic[c])
    .sort((a, b) => a.first - b.first)
    .forEach(({ c }, i) => (loopOfComponent[c] = i));

  // Parallel-map branches: forward from each map until a Join (first map in document order wins).
  const mapOf = new Int32Array(n).fill(-1);
  for (let m = 0; m < n; m++) {
    if (graph.nodes[m].kind !== "parallel-map") continue;
    const queue = [...graph.out[m]];
    for (let i = 0; i < queue.length; i++) {
      const v = queue[i];
      if (mapOf[v] !== -1 || v === m || graph.nodes[v].kind === "join") continue;
      mapOf[v] = m;
      queue.push(...graph.out[v]);
    }
  }

  // Model routers with fallback, propagated downstream over the condensation.
  const fallbackComponent = new Uint8Array(cond.members.length);
  for (const c of cond.order) {
    let has = cond.preds[c].some((p) => fallbackComponent[p] === 1);
    if (!has) has = cond.members[c].some((v) => graph.nodes[v].kind === "model-router" && graph.nodes[v].config.fallback !== false);
    fallbackComponent[c] = has ? 1 : 0;
  }
  const fallbackUpstream = new Uint8Array(n);
  for (let v = 0; v < n; v++) fallbackUpstream[v] = fallbackComponent[cond.componentOf[v]];

  let cost = 0;
  if (usable) for (const s of Object.values(usable.nodes)) cost += s.costUsd;
  const costPerRun = usable ? cost / usable.runs : 0;
  const referenceMs = usable && usable.runDurationMs.p50 > 0 ? usable.runDurationMs.p50 : critical.lengthMs;

  return {
    doc,
    graph,
    cond,
    stats: usable,
    nodeStats,
    weightMs,
    critical,
    onCriticalPath,
    criticalEdges: new Set(critical.edgeDocIndices),
    depth,
    maxDepth,
    fanIn,
    fanOut,
    betweenness,
    maxBetweenness,
    betweennessRank,
    cut: articulationPointsAndBridges(graph),
    betti: bettiNumbers(graph),
    groups,
    groupOf,
    loopOfComponent,
    mapOf,
    fallbackUpstream,
    edgesRecorded: usable !== null && Object.keys(usable.edges).length > 0,
    costPerRun,
    referenceMs,
  };
}
