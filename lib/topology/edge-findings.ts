import type { TopologyContext } from "./context";
import type { FlowEdge, ToolEdge } from "./flow-graph";
import { formatPercent, quoted } from "./format";
import { Findings } from "./node-findings";
import type { EdgeMetrics, Reason, Suggestion } from "./report";
import { ownEntry } from "./stats";

/** Observed executions of an edge's source below which "never taken" is not worth saying. */
export const NEVER_TAKEN_MIN_EXECUTIONS = 5;

const label = (ctx: TopologyContext, v: number) => quoted(ctx.graph.nodes[v].label, ctx.graph.ids[v]);

/**
 * Metrics, reasons and suggestions for a flow edge. `pairIndex` is the edge's distinct pair (−1 for a
 * self-loop), used to look up bridges.
 */
export function flowEdgeFindings(
  ctx: TopologyContext,
  fe: FlowEdge,
  pairIndex: number,
): { metrics: EdgeMetrics; reasons: Reason[]; suggestions: Suggestion[] } {
  const f = new Findings();
  const { cond } = ctx;
  const L = ctx.critical.lengthMs;
  const onCriticalPath = ctx.criticalEdges.has(fe.docIndex);
  if (onCriticalPath) {
    const share = L > 0 ? Math.max(ctx.weightMs[fe.s], ctx.weightMs[fe.t]) / L : 0;
    f.reason("CRITICAL_PATH", "On the critical path.", 0.3 + 0.7 * share);
  }
  const bridgeSides = pairIndex >= 0 ? ctx.cut.bridgeSides[pairIndex] : null;
  if (bridgeSides) {
    f.reason(
      "BRIDGE",
      `Bridge: the only link between ${bridgeSides[0]} step${bridgeSides[0] === 1 ? "" : "s"} on one side and ${bridgeSides[1]} on the other.`,
      0.25,
    );
  }
  const c = cond.componentOf[fe.s];
  const inLoop = c === cond.componentOf[fe.t] && cond.cyclic[c];

  let taken: number | null = null;
  let takenShare: number | null = null;
  const stats = ctx.stats;
  if (stats && ctx.edgesRecorded) {
    taken = ownEntry(stats.edges, fe.edge.id)?.taken ?? 0;
    const executions = ctx.nodeStats[fe.s]?.executions ?? 0;
    takenShare = executions > 0 ? Math.round((taken / executions) * 10_000) / 10_000 : null;
    const perRun = taken / stats.runs;
    if (inLoop) f.reason("LOOP", `Inside a loop; taken ${perRun.toFixed(1)}× per run on average.`, Math.min(0.6, 0.1 + 0.15 * Math.max(0, perRun - 1)));
    if (ctx.graph.out[fe.s].length >= 2 && executions > 0 && taken > 0) {
      f.reason(
        "EDGE_TAKEN",
        `Taken in ${formatPercent(taken / executions)} of the executions of ${label(ctx, fe.s)} (${taken} of ${executions}).`,
        0.15 * Math.min(1, taken / executions),
      );
    }
    if (taken === 0 && executions >= NEVER_TAKEN_MIN_EXECUTIONS) {
      f.reason("EDGE_NEVER_TAKEN", `Never taken in ${executions} executions of ${label(ctx, fe.s)}.`, 0);
    }
  } else if (inLoop) {
    f.reason("LOOP", "Inside a loop.", 0.05);
  }
  const { reasons, suggestions } = f.done();
  return { metrics: { role: "flow", onCriticalPath, bridgeSides, inLoop, taken, takenShare }, reasons, suggestions };
}

/** A tool attachment: not a flow step; it inherits half of its tool's score so failing tools show on the canvas. */
export function toolEdgeFindings(
  ctx: TopologyContext,
  te: ToolEdge,
  toolScore: number,
  toolLabel: string,
  agentLabel: string,
): { metrics: EdgeMetrics; reasons: Reason[]; suggestions: Suggestion[] } {
  const f = new Findings();
  f.reason(
    "TOOL",
    `Attaches tool ${quoted(toolLabel, te.toolId)} to agent ${quoted(agentLabel, te.agentId)}: the model may call it; no run flows along it.`,
    0.5 * toolScore,
  );
  const taken = ctx.stats && ctx.edgesRecorded ? (ownEntry(ctx.stats.edges, te.edge.id)?.taken ?? 0) : null;
  const { reasons, suggestions } = f.done();
  return { metrics: { role: "tool", onCriticalPath: false, bridgeSides: null, inLoop: false, taken, takenShare: null }, reasons, suggestions };
}
