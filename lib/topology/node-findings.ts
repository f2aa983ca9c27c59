import type { WorkflowNode } from "@/lib/workflow/schema";
import type { TopologyContext } from "./context";
import { formatMs, formatPercent, formatUsd, listNames, quoted } from "./format";
import type { Reason, ReasonCode, Suggestion, SuggestionCode } from "./report";
import { clamp01, sortReasons } from "./score";
import type { NodeStats } from "./stats";

/**
 * Thresholds of the plain-language findings, in one place. A reason appears only above its
 * threshold, so small effects do not drown the real bottlenecks.
 */
export const FINDING_THRESHOLDS = {
  /** Share of the critical path a node must take to be called out as on it. */
  criticalShare: 0.01,
  /** Relative betweenness (value / max) to be called a crossroads. */
  betweennessRelative: 0.5,
  failureRate: 0.01,
  retriesPerExecution: 0.05,
  /** Failure rate from which retries, then a fallback model, are suggested. */
  retrySuggestionRate: 0.02,
  fallbackSuggestionRate: 0.05,
  joinWaitMs: 100,
  queueWaitMs: 50,
  queueWaitShare: 0.1,
  /** p95 / p50 ratio and minimum p95 for a slow tail. */
  tailRatio: 3,
  tailMinMs: 1000,
  costShare: 0.25,
  fanOut: 3,
  loopRepeats: 3,
  /** Share of the critical path from which a timeout is suggested for a slow step. */
  timeoutShare: 0.2,
} as const;

const TIMEOUT_KINDS = new Set(["agent", "sub-workflow"]);
const FALLIBLE_KINDS = new Set(["agent", "http-request", "sub-workflow"]);

/** Collects reasons and suggestions for one item, deduplicating suggestions by code and nodes. */
export class Findings {
  readonly reasons: Reason[] = [];
  readonly suggestions: Suggestion[] = [];

  reason(code: ReasonCode, text: string, signal: number): void {
    this.reasons.push({ code, text, signal: Math.round(clamp01(signal) * 10_000) / 10_000 });
  }

  suggest(code: SuggestionCode, text: string, nodeIds: string[]): void {
    const key = nodeIds.join(",");
    if (this.suggestions.some((x) => x.code === code && x.nodeIds.join(",") === key)) return;
    this.suggestions.push({ code, text, nodeIds });
  }

  done(): { reasons: Reason[]; suggestions: Suggestion[] } {
    return { reasons: this.reasons.length > 1 ? sortReasons(this.reasons) : this.reasons, suggestions: this.suggestions };
  }
}

const name = (node: WorkflowNode) => quoted(node.label, node.id);

/**
 * Reasons and suggestions for flow vertex `v`. Each reason carries its signal for the score
 * (README, "Scores"): the structural ones always, the observed ones only with stats.
 */
export function flowNodeFindings(ctx: TopologyContext, v: number): { reasons: Reason[]; suggestions: Suggestion[] } {
  const f = new Findings();
  const { graph, cond } = ctx;
  const node = graph.nodes[v];
  const id = node.id;
  const s = ctx.nodeStats[v];
  const basis = s ? "observed" : "estimated";
  const L = ctx.critical.lengthMs;
  const T = FINDING_THRESHOLDS;

  // Critical path.
  const share = ctx.onCriticalPath[v] && L > 0 ? ctx.weightMs[v] / L : 0;
  if (share >= T.criticalShare) {
    f.reason(
      "CRITICAL_PATH",
      `On the critical path: ${formatPercent(share)} of the run time (${formatMs(ctx.weightMs[v])} of ${formatMs(L)}, ${basis}).`,
      0.1 + 0.9 * share,
    );
  }

  // Single point of failure.
  const parts = ctx.cut.articulationParts[v];
  if (parts) {
    const sizes = parts.map((p) => `${p} step${p === 1 ? "" : "s"}`);
    const into = parts.length === 2 ? "in two" : `into ${parts.length} parts`;
    // Losing it matters in proportion to the steps cut off from the largest remaining part.
    const total = parts.reduce((a, b) => a + b, 0);
    const cutOff = total - parts[0];
    f.reason(
      "SINGLE_POINT_OF_FAILURE",
      `Single point of failure: every route between its sides passes through here; removing it splits the workflow ${into} (${listNames(sizes)}).`,
      0.15 + 0.5 * (total > 0 ? cutOff / total : 0),
    );
    if (ctx.onCriticalPath[v] && FALLIBLE_KINDS.has(node.kind) && node.policy?.onError !== "route" && !s) {
      f.suggest("ADD_ERROR_ROUTE", `Route errors of ${name(node)} to a fallback branch (On error: route), so one failure here does not end the run.`, [id]);
    }
  }

  // Betweenness.
  const b = ctx.betweenness.values[v];
  if (b > 0 && ctx.maxBetweenness > 0 && b / ctx.maxBetweenness >= T.betweennessRelative) {
    const rank = ctx.betweennessRank[v];
    const where = rank === 1 ? "the highest in the workflow" : `#${rank} of ${graph.ids.length}`;
    f.reason(
      "HIGH_BETWEENNESS",
      `A crossroads: many shortest routes between other steps pass through here (betweenness ${b.toFixed(3)}, ${where}).`,
      0.4 * (b / ctx.maxBetweenness),
    );
  }

  // Joins and the slowest branch.
  const preds = graph.in[v];
  if (preds.length >= 2) {
    f.reason("JOIN", `All ${preds.length} incoming branches meet here.`, Math.min(0.3, 0.05 * (preds.length - 1)));
    const finish = (p: number) => ctx.critical.finishMs[cond.componentOf[p]];
    let slowest = preds[0],
      fastest = preds[0];
    for (const p of preds) {
      if (finish(p) > finish(slowest) || (finish(p) === finish(slowest) && p < slowest)) slowest = p;
      if (finish(p) < finish(fastest)) fastest = p;
    }
    const slow = graph.nodes[slowest];
    const observedWait = s && s.joinWaitMs.mean >= T.joinWaitMs ? s.joinWaitMs.mean : 0;
    const estimatedWait = !s ? finish(slowest) - finish(fastest) : 0;
    const wait = observedWait || estimatedWait;
    if (wait >= T.joinWaitMs) {
      const ref = ctx.referenceMs > 0 ? ctx.referenceMs : wait;
      const text = observedWait
        ? `Waits ${formatMs(wait)} on average for the slowest branch (${name(slow)} by observed times).`
        : `Waits about ${formatMs(wait)} for the slowest branch, ${name(slow)} (estimated).`;
      f.reason("JOIN_WAIT", text, (observedWait ? 1 : 0.8) * Math.min(1, (1.5 * wait) / ref));
      f.suggest("ADD_TIMEOUT", `Add a timeout to ${name(slow)}, the slowest branch this step waits for, or move work off it.`, [slow.id, id]);
    }
  }

  // Fan-out.
  if (graph.out[v].length >= T.fanOut && node.kind !== "router") {
    f.reason("FAN_OUT", `Fans out to ${graph.out[v].length} branches.`, Math.min(0.2, 0.05 * (graph.out[v].length - 2)));
  }

  // Loops.
  const loop = ctx.loopOfComponent[cond.componentOf[v]];
  if (loop !== -1) {
    const size = cond.members[cond.componentOf[v]].length;
    const loopText = size === 1 ? "Loops back to itself" : `Inside a loop of ${size} steps`;
    const repeats = s && s.runs ? s.executions / s.runs : 0;
    if (s) f.reason("LOOP", `${loopText}; runs ${repeats.toFixed(1)}× per run on average.`, Math.min(0.6, 0.1 + 0.15 * Math.max(0, repeats - 1)));
    else f.reason("LOOP", `${loopText} (counted once per run until runs show how often it repeats).`, 0.1);
    if (s && repeats >= T.loopRepeats) {
      const routers = cond.members[cond.componentOf[v]].map((m) => graph.nodes[m]).filter((n) => n.kind === "router" || n.kind === "human-approval");
      const target = routers[0] ?? node;
      f.suggest(
        "LIMIT_LOOP",
        `The loop repeats ${repeats.toFixed(1)}× per run on average: tighten the exit condition of ${name(target)} or cap the iterations.`,
        [target.id],
      );
    }
  }

  // Parallelisable neighbours.
  const g = ctx.groupOf[v];
  if (g !== -1) {
    const group = ctx.groups[g];
    const others = group.vertices.filter((x) => x !== v).map((x) => name(graph.nodes[x]));
    const names = group.vertices.map((x) => name(graph.nodes[x]));
    f.reason("PARALLELISABLE", `Could run side by side with ${listNames(others)}: none reads another's output.`, L > 0 ? Math.min(0.5, group.savingMs / L) : 0);
    f.suggest(
      "PARALLELISE",
      `Run ${listNames(names)} in parallel (split before them, Join after): none reads another's output; saves about ${formatMs(group.savingMs)} per run.`,
      group.vertices.map((x) => graph.ids[x]),
    );
  }

  if (s) observedFindings(ctx, f, node, s, v);

  // Timeouts for slow steps with none.
  if (node.kind === "human-approval" && !(typeof node.config.timeoutMs === "number" && node.config.timeoutMs > 0) && ctx.onCriticalPath[v]) {
    f.suggest("ADD_TIMEOUT", `Give ${name(node)} a time limit (Give up after), so a run cannot wait for a reviewer forever.`, [id]);
  }
  const tail = s ? s.latencyMs.p95 >= T.tailRatio * s.latencyMs.p50 && s.latencyMs.p95 >= T.tailMinMs : false;
  if (TIMEOUT_KINDS.has(node.kind) && !node.policy?.timeoutMs && (share >= T.timeoutShare || tail)) {
    const hint = s && s.latencyMs.p95 > 0 ? ` (about ${formatMs(2 * s.latencyMs.p95)}, twice its p95)` : "";
    f.suggest("ADD_TIMEOUT", `Add a timeout to ${name(node)}${hint}, so one stuck call cannot hold the whole run.`, [id]);
  }
  return f.done();
}

/** Reasons and suggestions only runs can show: failures, retries, queueing, tails, cost. `v` is −1 for a tool-only node. */
function observedFindings(ctx: TopologyContext, f: Findings, node: WorkflowNode, s: NodeStats, v: number): void {
  const T = FINDING_THRESHOLDS;
  const id = node.id;
  const failureRate = s.attempts ? s.failures / s.attempts : 0;
  if (failureRate >= T.failureRate) {
    f.reason("FAILURES", `Fails ${formatPercent(failureRate)} of attempts (${s.failures} of ${s.attempts}).`, 3 * failureRate);
  }
  const failedExecRate = s.executions ? s.failedExecutions / s.executions : 0;
  if (failedExecRate >= T.failureRate && s.retries > 0) {
    f.reason("FAILED_EXECUTIONS", `${formatPercent(failedExecRate)} of its executions still fail after retries.`, 4 * failedExecRate);
  }
  const retriesPerExecution = s.executions ? s.retries / s.executions : 0;
  if (retriesPerExecution >= T.retriesPerExecution) {
    f.reason(
      "RETRIES",
      `Retried ${s.retries} time${s.retries === 1 ? "" : "s"} over ${s.executions} execution${s.executions === 1 ? "" : "s"}.`,
      Math.min(0.5, retriesPerExecution),
    );
  }
  const maxAttempts = node.policy?.retry?.maxAttempts ?? 1;
  if (failureRate >= T.retrySuggestionRate && maxAttempts <= 1) {
    f.suggest("ADD_RETRIES", `Add retries to ${quoted(node.label, id)} (e.g. 3 attempts with backoff): ${formatPercent(failureRate)} of attempts fail.`, [id]);
  }
  if (node.kind === "agent" && failureRate >= T.fallbackSuggestionRate && v >= 0 && !ctx.fallbackUpstream[v]) {
    f.suggest(
      "ADD_FALLBACK_MODEL",
      `Add a fallback model for ${quoted(node.label, id)}: put a Model router with fallback before it, so a provider failure moves to the next model.`,
      [id],
    );
  }
  if (failedExecRate >= T.failureRate && maxAttempts > 1 && node.policy?.onError !== "route") {
    f.suggest(
      "ADD_ERROR_ROUTE",
      `Route errors of ${quoted(node.label, id)} to a fallback branch (On error: route): retries do not absorb ${formatPercent(failedExecRate)} of its failures.`,
      [id],
    );
  }

  const q = s.queueWaitMs.mean;
  const queueShare = q + s.latencyMs.mean > 0 ? q / (q + s.latencyMs.mean) : 0;
  if (q >= T.queueWaitMs && queueShare >= T.queueWaitShare) {
    f.reason("QUEUE_WAIT", `Queues ${formatMs(q)} on average before it starts (concurrency limit).`, queueShare);
    const map = v >= 0 ? ctx.mapOf[v] : -1;
    if (map !== -1) {
      const m = ctx.graph.nodes[map];
      const cap = typeof m.config.maxConcurrency === "number" ? m.config.maxConcurrency : 10;
      f.suggest(
        "RAISE_FAN_OUT_CAP",
        `Raise Max concurrency of ${quoted(m.label, m.id)} (now ${cap}): its branch queues ${formatMs(q)} on average at ${quoted(node.label, id)}.`,
        [m.id, id],
      );
    } else {
      f.suggest(
        "RAISE_RUN_CONCURRENCY",
        `Raise the workflow's max concurrent runs (now ${ctx.doc.settings.maxConcurrentRuns}) or the provider's rate limit: ${quoted(node.label, id)} queues ${formatMs(q)} on average.`,
        [id],
      );
    }
  }

  if (s.latencyMs.p95 >= T.tailRatio * s.latencyMs.p50 && s.latencyMs.p95 >= T.tailMinMs) {
    const ratio = s.latencyMs.p50 > 0 ? `${(s.latencyMs.p95 / s.latencyMs.p50).toFixed(1)}× the median` : "far above the median";
    f.reason("SLOW_TAIL", `Slow tail: p95 ${formatMs(s.latencyMs.p95)} is ${ratio} (${formatMs(s.latencyMs.p50)}).`, 0.25);
  }

  if (ctx.costPerRun > 0 && ctx.stats) {
    const perRun = s.costUsd / ctx.stats.runs;
    const costShare = perRun / ctx.costPerRun;
    if (costShare >= T.costShare) {
      f.reason("COST", `${formatPercent(costShare)} of the workflow's cost (${formatUsd(perRun)} per run).`, 0.5 * costShare);
      if (node.kind === "agent" && v >= 0 && !ctx.fallbackUpstream[v])
        f.suggest(
          "ADD_MODEL_ROUTER",
          `Put a Model router before ${quoted(node.label, id)} that picks the cheapest model meeting the quality you need: it takes ${formatPercent(costShare)} of the cost.`,
          [id],
        );
    }
  }
}

/**
 * Findings for a node that is only attached to agents' Tools ports: no structural metrics (it is not
 * a step), but its observed failures, tail and cost count.
 */
export function toolNodeFindings(ctx: TopologyContext, node: WorkflowNode, s: NodeStats | null): { reasons: Reason[]; suggestions: Suggestion[] } {
  const f = new Findings();
  const agents = (ctx.graph.agentsOf.get(node.id) ?? []).map((a) => {
    const i = ctx.graph.indexOf.get(a);
    return i === undefined ? quoted(a, a) : quoted(ctx.graph.nodes[i].label, a);
  });
  f.reason("TOOL", `Tool of ${listNames(agents)}: the model calls it; its time counts inside the agent.`, 0);
  if (s) observedFindings(ctx, f, node, s, -1);
  return f.done();
}
