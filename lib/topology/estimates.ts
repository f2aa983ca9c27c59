import type { NodeKindName } from "@/lib/workflow/catalog";
import type { WorkflowNode } from "@/lib/workflow/schema";

/**
 * Typical time one execution of a node takes, by kind, used for the critical path when a node has no
 * observed statistics. THE one table of estimates: change numbers here only.
 *
 * A number is a fixed estimate in milliseconds; a function derives it from the node's config.
 * Figures are rough orders of magnitude for a hosted model and a nearby HTTP API; observed runs
 * replace them node by node.
 */
// Keyed on every kind name: a kind added to the catalog without an estimate does not compile.
export const KIND_LATENCY_ESTIMATES_MS: Readonly<Record<NodeKindName, number | ((config: Record<string, unknown>) => number)>> = {
  start: 0,
  output: 0,
  /** One model call of ~2.5 s per expected turn; tool-using agents take about two turns. */
  agent: 2500,
  /** Choosing a model is bookkeeping, not a model call. */
  "model-router": 5,
  "http-request": 300,
  "js-transform": 20,
  template: 1,
  "json-extract": 1,
  sentiment: 5,
  /** Exactly the configured wait. */
  delay: (config) => (typeof config.ms === "number" && config.ms >= 0 ? config.ms : 1000),
  router: 1,
  /** A person answering: five minutes, or the configured time limit if that is shorter. */
  "human-approval": (config) => {
    const limit = typeof config.timeoutMs === "number" ? config.timeoutMs : 0;
    return limit > 0 ? Math.min(limit, 300_000) : 300_000;
  },
  "parallel-map": 1,
  join: 0,
  "sub-workflow": 5000,
  "memory-store": 50,
  "memory-retrieve": 50,
  /** Expressions over the state, in process. */
  "set-fields": 1,
};

/** Estimate for a kind missing from the table (a kind added to the catalog but not here). */
export const UNKNOWN_KIND_ESTIMATE_MS = 100;

/** Extra model turn per attached tool for an agent (the model calls the tool, then answers). */
export const AGENT_TOOL_TURN_MS = 2500;

/**
 * Estimated time of one execution of `node`: the table entry for its kind; an Agent with tools
 * attached adds one model turn (capped at its Max steps).
 */
export function estimateNodeLatencyMs(node: WorkflowNode, attachedTools = 0): number {
  // A document may name a kind this build does not know (the editor still draws it): the fallback applies.
  const entry = (KIND_LATENCY_ESTIMATES_MS as Readonly<Record<string, (typeof KIND_LATENCY_ESTIMATES_MS)[NodeKindName] | undefined>>)[node.kind];
  const base = entry === undefined ? UNKNOWN_KIND_ESTIMATE_MS : typeof entry === "number" ? entry : entry(node.config);
  if (node.kind === "agent" && attachedTools > 0) {
    const maxSteps = typeof node.config.maxSteps === "number" ? node.config.maxSteps : 5;
    return base + (maxSteps > 1 ? AGENT_TOOL_TURN_MS : 0);
  }
  return base;
}
