import type { WorkflowDocument } from "@/lib/workflow/schema";
import { EXACT_BETWEENNESS_MAX_NODES } from "./betweenness";
import { buildContext, type TopologyContext } from "./context";
import { flowEdgeFindings, toolEdgeFindings } from "./edge-findings";
import { round4, roundMs } from "./format";
import { flowNodeFindings, toolNodeFindings } from "./node-findings";
import type { Bottleneck, EdgeReport, NodeReport, ObservedNodeMetrics, TopologyReport } from "./report";
import { combineSignals } from "./score";
import { ownEntry, type NodeStats, type TopologyStats } from "./stats";

export interface AnalyzeTopologyOptions {
  /** Exact betweenness up to this many flow nodes (default 1,000), sampled above. */
  exactBetweennessMaxNodes?: number;
  /** Pivots of the sampled betweenness (default 256). */
  betweennessPivots?: number;
  /** Seed of the pivot choice (default fixed, so reports are reproducible). */
  seed?: number;
  /** Length of the bottleneck list (default 10). */
  topBottlenecks?: number;
  /** Items scoring below this are not listed as bottlenecks (default 0.15). */
  minBottleneckScore?: number;
}

function observedMetrics(s: NodeStats | null): ObservedNodeMetrics | null {
  if (!s) return null;
  return {
    runs: s.runs,
    executionsPerRun: round4(s.runs ? s.executions / s.runs : 0),
    p50Ms: roundMs(s.latencyMs.p50),
    p95Ms: roundMs(s.latencyMs.p95),
    failureRate: round4(s.attempts ? s.failures / s.attempts : 0),
    failedExecutionRate: round4(s.executions ? s.failedExecutions / s.executions : 0),
    retriesPerExecution: round4(s.executions ? s.retries / s.executions : 0),
    joinWaitMs: roundMs(s.joinWaitMs.mean),
    queueWaitMs: roundMs(s.queueWaitMs.mean),
    tokensPerRun: round4(s.tokens / s.runs),
    costUsdPerRun: round4(s.costUsd / s.runs),
  };
}

/**
 * The topology report of a workflow: structural metrics over its flow edges, observed figures when
 * `stats` are given, a score in [0, 1] with plain-language reasons and concrete suggestions for every
 * node and edge, and a ranked list of bottlenecks. Pure and deterministic: equal inputs give equal
 * JSON. Every metric is defined in lib/topology/README.md.
 *
 * 1. Build the flow graph (tool attachments set apart), condense its loops, and compute every metric
 *    once (`buildContext`): weights, critical path, depth, fan-in/out, betweenness, articulation
 *    points and bridges, Betti numbers, parallelisable groups.
 * 2. Per node, in document order: metrics, reasons and suggestions, score = noisy-OR of the reasons'
 *    signals. Tool-only nodes get their observed findings only.
 * 3. Per edge, in document order: the same, tool attachments inheriting half of their tool's score.
 * 4. Bottlenecks: nodes and edges with score ≥ `minBottleneckScore` and a non-zero signal, by score
 *    (ties: nodes first, then document order), the first `topBottlenecks`.
 * 5. Summary: counts, b0/b1, depth, loops, critical path, betweenness method, basis.
 *
 * @example
 * const report = analyzeTopology(doc);                                  // estimates only
 * const live = analyzeTopology(doc, aggregateRunStats(records));       // with observed runs
 * live.bottlenecks[0]?.headline // "On the critical path: 62% of the run time (2.5 s of 4.0 s, observed)."
 */
export function analyzeTopology(doc: WorkflowDocument, stats?: TopologyStats, options: AnalyzeTopologyOptions = {}): TopologyReport {
  const exactMaxNodes = options.exactBetweennessMaxNodes ?? EXACT_BETWEENNESS_MAX_NODES;
  // 1.
  const ctx = buildContext(doc, stats, { exactMaxNodes, pivots: options.betweennessPivots, seed: options.seed });
  const { graph, cond } = ctx;
  const L = ctx.critical.lengthMs;

  // 2. Nodes.
  const nodeReports: NodeReport[] = [];
  const scoreById = new Map<string, number>();
  for (const node of doc.nodes) {
    const v = graph.indexOf.get(node.id);
    let report: NodeReport;
    if (v === undefined) {
      const s = ctx.stats ? ownEntry(ctx.stats.nodes, node.id) : undefined;
      const observed = s && s.runs > 0 ? s : null;
      const { reasons, suggestions } = toolNodeFindings(ctx, node, observed);
      report = {
        id: node.id,
        label: node.label,
        kind: node.kind,
        score: combineSignals(reasons.map((r) => r.signal)),
        metrics: {
          role: "tool",
          weightMs: 0,
          weightBasis: observed ? "observed" : "estimated",
          depth: null,
          fanIn: 0,
          fanOut: 0,
          betweenness: null,
          onCriticalPath: false,
          criticalShare: 0,
          articulationParts: null,
          loop: null,
          component: null,
          observed: observedMetrics(observed),
        },
        reasons,
        suggestions,
      };
    } else {
      const { reasons, suggestions } = flowNodeFindings(ctx, v);
      const loop = ctx.loopOfComponent[cond.componentOf[v]];
      report = {
        id: node.id,
        label: node.label,
        kind: node.kind,
        score: combineSignals(reasons.map((r) => r.signal)),
        metrics: {
          role: "flow",
          weightMs: roundMs(ctx.weightMs[v]),
          weightBasis: ctx.nodeStats[v] ? "observed" : "estimated",
          depth: ctx.depth[v],
          fanIn: ctx.fanIn[v],
          fanOut: ctx.fanOut[v],
          betweenness: round4(ctx.betweenness.values[v]),
          onCriticalPath: ctx.onCriticalPath[v] === 1,
          criticalShare: ctx.onCriticalPath[v] && L > 0 ? round4(ctx.weightMs[v] / L) : 0,
          articulationParts: ctx.cut.articulationParts[v],
          loop: loop === -1 ? null : loop,
          component: ctx.betti.componentOf[v],
          observed: observedMetrics(ctx.nodeStats[v]),
        },
        reasons,
        suggestions,
      };
    }
    scoreById.set(node.id, report.score);
    nodeReports.push(report);
  }

  // 3. Edges.
  const edgeReports = edgeReportsOf(ctx, scoreById);

  // 4. Bottlenecks.
  const bottlenecks = rankBottlenecks(doc, nodeReports, edgeReports, options.topBottlenecks ?? 10, options.minBottleneckScore ?? 0.15);

  // 5. Summary.
  const loopEdges: string[][] = [];
  for (const fe of graph.flowEdges) {
    const c = cond.componentOf[fe.s];
    const l = ctx.loopOfComponent[c];
    if (l !== -1 && c === cond.componentOf[fe.t]) (loopEdges[l] ??= []).push(fe.edge.id);
  }
  const loops: TopologyReport["loops"] = [];
  cond.members.forEach((m, c) => {
    const l = ctx.loopOfComponent[c];
    if (l !== -1) loops[l] = { nodeIds: m.map((v) => graph.ids[v]), edgeIds: loopEdges[l] ?? [] };
  });
  const observedCount = ctx.nodeStats.filter(Boolean).length;
  let maxFanIn = 0,
    maxFanOut = 0,
    articulationPointCount = 0;
  for (let v = 0; v < graph.ids.length; v++) {
    maxFanIn = Math.max(maxFanIn, ctx.fanIn[v]);
    maxFanOut = Math.max(maxFanOut, ctx.fanOut[v]);
    if (ctx.cut.articulationParts[v]) articulationPointCount++;
  }
  const edgeId = (docIndex: number) => doc.edges[docIndex].id;
  return {
    reportVersion: 1,
    summary: {
      nodeCount: doc.nodes.length,
      edgeCount: doc.edges.length,
      flowNodeCount: graph.ids.length,
      flowEdgeCount: graph.flowEdges.length,
      toolEdgeCount: graph.toolEdges.length,
      toolOnlyNodeCount: graph.toolOnlyIds.length,
      b0: ctx.betti.b0,
      b1: ctx.betti.b1,
      depth: ctx.maxDepth,
      loopCount: loops.length,
      articulationPointCount,
      bridgeCount: ctx.cut.bridgeSides.filter(Boolean).length,
      maxFanIn,
      maxFanOut,
      criticalPath: { lengthMs: roundMs(L), nodeIds: ctx.critical.vertices.map((v) => graph.ids[v]), edgeIds: ctx.critical.edgeDocIndices.map(edgeId) },
      betweenness: { method: ctx.betweenness.method, implementation: ctx.betweenness.implementation, pivots: ctx.betweenness.pivots, exactMaxNodes },
      basis: observedCount === 0 ? "estimated" : observedCount === graph.ids.length ? "observed" : "mixed",
      runs: ctx.stats?.runs ?? 0,
    },
    nodes: nodeReports,
    edges: edgeReports,
    loops,
    parallelisable: ctx.groups.map((g) => ({
      nodeIds: g.vertices.map((v) => graph.ids[v]),
      edgeIds: g.edgeDocIndices.map(edgeId),
      savingMs: roundMs(g.savingMs),
    })),
    bottlenecks,
  };
}

function edgeReportsOf(ctx: TopologyContext, scoreById: Map<string, number>): EdgeReport[] {
  const { graph, doc } = ctx;
  const pairOf = new Map<number, number>();
  graph.pairs.forEach((p, i) => p.edges.forEach((fe) => pairOf.set(fe.docIndex, i)));
  const byDocIndex = new Array<EdgeReport | undefined>(doc.edges.length);
  for (const fe of graph.flowEdges) {
    const { metrics, reasons, suggestions } = flowEdgeFindings(ctx, fe, pairOf.get(fe.docIndex) ?? -1);
    byDocIndex[fe.docIndex] = {
      id: fe.edge.id,
      source: fe.edge.source,
      target: fe.edge.target,
      score: combineSignals(reasons.map((r) => r.signal)),
      metrics,
      reasons,
      suggestions,
    };
  }
  const labelOf = new Map(doc.nodes.map((n) => [n.id, n.label]));
  for (const te of graph.toolEdges) {
    const { metrics, reasons, suggestions } = toolEdgeFindings(
      ctx,
      te,
      scoreById.get(te.toolId) ?? 0,
      labelOf.get(te.toolId) ?? te.toolId,
      labelOf.get(te.agentId) ?? te.agentId,
    );
    byDocIndex[te.docIndex] = {
      id: te.edge.id,
      source: te.edge.source,
      target: te.edge.target,
      score: combineSignals(reasons.map((r) => r.signal)),
      metrics,
      reasons,
      suggestions,
    };
  }
  // Edges whose ends do not exist (parseWorkflow rejects them) have no report.
  return byDocIndex.filter((e): e is EdgeReport => e !== undefined);
}

/** Step 4 of `analyzeTopology`: the ranked bottleneck list. */
export function rankBottlenecks(
  doc: WorkflowDocument,
  nodes: readonly NodeReport[],
  edges: readonly EdgeReport[],
  top: number,
  minScore: number,
): Bottleneck[] {
  type Candidate = { type: "node" | "edge"; order: number; id: string; label: string; score: number; item: NodeReport | EdgeReport };
  const labelOf = new Map(doc.nodes.map((n) => [n.id, n.label.trim() || n.id]));
  const candidates: Candidate[] = [];
  const eligible = (r: NodeReport | EdgeReport) => r.score >= minScore && r.reasons.some((x) => x.signal > 0);
  nodes.forEach((r, order) => {
    if (eligible(r)) candidates.push({ type: "node", order, id: r.id, label: r.label.trim() || r.id, score: r.score, item: r });
  });
  edges.forEach((r, order) => {
    if (eligible(r))
      candidates.push({
        type: "edge",
        order,
        id: r.id,
        label: `${labelOf.get(r.source) ?? r.source} → ${labelOf.get(r.target) ?? r.target}`,
        score: r.score,
        item: r,
      });
  });
  candidates.sort((a, b) => b.score - a.score || (a.type === b.type ? 0 : a.type === "node" ? -1 : 1) || a.order - b.order);
  return candidates.slice(0, Math.max(0, top)).map((c, i) => ({
    rank: i + 1,
    type: c.type,
    id: c.id,
    label: c.label,
    score: c.score,
    headline: c.item.reasons[0]?.text ?? "",
    reasons: c.item.reasons,
    suggestions: c.item.suggestions,
  }));
}
