/**
 * Topology analysis of a workflow document (pure; browser, worker and server). See README.md for the
 * definition of every metric.
 */
export { analyzeTopology, rankBottlenecks, type AnalyzeTopologyOptions } from "./analyze-topology";
export { aggregateRunStats, type AggregateRunStatsOptions } from "./aggregate-stats";
export * from "./stats";
export * from "./report";
export { TopologyError, TopologyErrorCode } from "./errors";
export { KIND_LATENCY_ESTIMATES_MS, UNKNOWN_KIND_ESTIMATE_MS, estimateNodeLatencyMs } from "./estimates";
export { EXACT_BETWEENNESS_MAX_NODES, BETWEENNESS_SAMPLE_PIVOTS } from "./betweenness";
export { FINDING_THRESHOLDS } from "./node-findings";
export { buildFlowGraph, type FlowGraph } from "./flow-graph";
export { percentile, distribution } from "./distribution";
export { toTopologyOverlay, TopologyOverlaySchema, NodeFlag, EdgeFlag, type TopologyOverlay } from "./overlay";
export * from "./worker-protocol";
