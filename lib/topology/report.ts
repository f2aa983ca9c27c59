import { z } from "zod";

/**
 * The topology report: what `analyzeTopology` returns, what `GET /api/workflows/:id/topology` sends
 * and what the worker posts. zod so the browser can check a report it receives; types via z.infer.
 * Lists are in a stable order (nodes and edges in document order, bottlenecks by score then document
 * order), numbers are rounded, so equal inputs give byte-identical JSON.
 */

/** Why an item scored: a stable code for badges and filters, a sentence for people, and its signal in [0, 1]. */
export const ReasonCodeSchema = z.enum([
  "CRITICAL_PATH",
  "SINGLE_POINT_OF_FAILURE",
  "HIGH_BETWEENNESS",
  "JOIN",
  "JOIN_WAIT",
  "FAN_OUT",
  "FAILURES",
  "FAILED_EXECUTIONS",
  "RETRIES",
  "QUEUE_WAIT",
  "SLOW_TAIL",
  "LOOP",
  "COST",
  "PARALLELISABLE",
  "TOOL",
  "BRIDGE",
  "EDGE_TAKEN",
  "EDGE_NEVER_TAKEN",
]);

export const ReasonSchema = z.object({
  code: ReasonCodeSchema,
  text: z.string(),
  /** This reason's contribution to the score (see README: score = 1 − Π(1 − signal)). */
  signal: z.number().min(0).max(1),
});

export const SuggestionCodeSchema = z.enum([
  "PARALLELISE",
  "ADD_TIMEOUT",
  "RAISE_FAN_OUT_CAP",
  "RAISE_RUN_CONCURRENCY",
  "ADD_FALLBACK_MODEL",
  "ADD_RETRIES",
  "ADD_ERROR_ROUTE",
  "LIMIT_LOOP",
  /** Put a Model router (cheapest first) before an Agent that dominates the workflow's cost. */
  "ADD_MODEL_ROUTER",
]);

/** A concrete change, naming the nodes it is about (the first is the one to edit). */
export const SuggestionSchema = z.object({
  code: SuggestionCodeSchema,
  text: z.string(),
  nodeIds: z.array(z.string()),
});

export const BasisSchema = z.enum(["observed", "estimated"]);

export const ObservedNodeMetricsSchema = z.object({
  runs: z.number().int(),
  executionsPerRun: z.number(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  failureRate: z.number(),
  failedExecutionRate: z.number(),
  retriesPerExecution: z.number(),
  joinWaitMs: z.number(),
  queueWaitMs: z.number(),
  tokensPerRun: z.number(),
  costUsdPerRun: z.number(),
});

export const NodeMetricsSchema = z.object({
  /** "flow": a vertex of the flow graph; "tool": only attached to an agent's Tools port (no structural metrics). */
  role: z.enum(["flow", "tool"]),
  /** Time per run used for the critical path (ms); 0 for tools, whose time counts inside their agent. */
  weightMs: z.number(),
  weightBasis: BasisSchema,
  depth: z.number().int().nullable(),
  fanIn: z.number().int(),
  fanOut: z.number().int(),
  /** Normalised betweenness in [0, 1]; null for tools. */
  betweenness: z.number().nullable(),
  onCriticalPath: z.boolean(),
  /** weightMs / critical path length, when on the critical path; else 0. */
  criticalShare: z.number(),
  /** Sizes of the parts its removal leaves when it is an articulation point; else null. */
  articulationParts: z.array(z.number().int()).nullable(),
  /** Index into `report.loops`, or null. */
  loop: z.number().int().nullable(),
  /** Weakly connected component (0 = the one holding the first node), or null for tools. */
  component: z.number().int().nullable(),
  observed: ObservedNodeMetricsSchema.nullable(),
});

export const NodeReportSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.string(),
  score: z.number().min(0).max(1),
  metrics: NodeMetricsSchema,
  reasons: z.array(ReasonSchema),
  suggestions: z.array(SuggestionSchema),
});

export const EdgeMetricsSchema = z.object({
  role: z.enum(["flow", "tool"]),
  onCriticalPath: z.boolean(),
  /** Node counts on the source's and the target's side when the edge is a bridge; else null. */
  bridgeSides: z.tuple([z.number().int(), z.number().int()]).nullable(),
  inLoop: z.boolean(),
  /** Observed: times taken over all runs; null without stats. */
  taken: z.number().int().nullable(),
  /** Observed: taken / executions of its source (can exceed 1 only through data errors); null without stats. */
  takenShare: z.number().nullable(),
});

export const EdgeReportSchema = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  score: z.number().min(0).max(1),
  metrics: EdgeMetricsSchema,
  reasons: z.array(ReasonSchema),
  suggestions: z.array(SuggestionSchema),
});

export const LoopSchema = z.object({ nodeIds: z.array(z.string()), edgeIds: z.array(z.string()) });

export const ParallelisableSchema = z.object({
  nodeIds: z.array(z.string()),
  edgeIds: z.array(z.string()),
  savingMs: z.number(),
});

export const BottleneckSchema = z.object({
  rank: z.number().int().min(1),
  type: z.enum(["node", "edge"]),
  id: z.string(),
  label: z.string(),
  score: z.number().min(0).max(1),
  /** The strongest reason's text. */
  headline: z.string(),
  reasons: z.array(ReasonSchema),
  suggestions: z.array(SuggestionSchema),
});

export const TopologySummarySchema = z.object({
  nodeCount: z.number().int(),
  edgeCount: z.number().int(),
  flowNodeCount: z.number().int(),
  flowEdgeCount: z.number().int(),
  toolEdgeCount: z.number().int(),
  toolOnlyNodeCount: z.number().int(),
  b0: z.number().int(),
  b1: z.number().int(),
  depth: z.number().int(),
  loopCount: z.number().int(),
  articulationPointCount: z.number().int(),
  bridgeCount: z.number().int(),
  maxFanIn: z.number().int(),
  maxFanOut: z.number().int(),
  criticalPath: z.object({
    lengthMs: z.number(),
    nodeIds: z.array(z.string()),
    edgeIds: z.array(z.string()),
  }),
  betweenness: z.object({
    method: z.enum(["exact", "sampled"]),
    implementation: z.enum(["graphology-metrics", "brandes-float64"]),
    pivots: z.number().int(),
    exactMaxNodes: z.number().int(),
  }),
  /** "observed" when every flow node has stats, "estimated" when none has, else "mixed". */
  basis: z.enum(["observed", "estimated", "mixed"]),
  runs: z.number().int(),
});

export const TopologyReportSchema = z.object({
  reportVersion: z.literal(1),
  summary: TopologySummarySchema,
  nodes: z.array(NodeReportSchema),
  edges: z.array(EdgeReportSchema),
  loops: z.array(LoopSchema),
  parallelisable: z.array(ParallelisableSchema),
  bottlenecks: z.array(BottleneckSchema),
});

export type ReasonCode = z.infer<typeof ReasonCodeSchema>;
export type Reason = z.infer<typeof ReasonSchema>;
export type SuggestionCode = z.infer<typeof SuggestionCodeSchema>;
export type Suggestion = z.infer<typeof SuggestionSchema>;
export type NodeMetrics = z.infer<typeof NodeMetricsSchema>;
export type ObservedNodeMetrics = z.infer<typeof ObservedNodeMetricsSchema>;
export type NodeReport = z.infer<typeof NodeReportSchema>;
export type EdgeMetrics = z.infer<typeof EdgeMetricsSchema>;
export type EdgeReport = z.infer<typeof EdgeReportSchema>;
export type TopologyLoop = z.infer<typeof LoopSchema>;
export type ParallelisableSequence = z.infer<typeof ParallelisableSchema>;
export type Bottleneck = z.infer<typeof BottleneckSchema>;
export type TopologySummary = z.infer<typeof TopologySummarySchema>;
export type TopologyReport = z.infer<typeof TopologyReportSchema>;
