import type { NodeConfigOf } from "../../workflow";
import type { ModelChoice } from "../state";
import { INTERNAL } from "../state";
import type { ExecutorFor } from "./types";

type RouterConfig = NodeConfigOf<"model-router">;
type Candidate = RouterConfig["candidates"][number];
type Quality = RouterConfig["minQuality"];

const RANK: Record<Quality, number> = { low: 0, medium: 1, high: 2 };

/**
 * Orders the candidates by policy: cheapest (then fastest) or fastest (then cheapest) among those
 * meeting minQuality, or best quality (then cheapest). Candidates below minQuality go last, as a
 * last resort. Returns the order and a sentence saying why.
 */
export function rankCandidates(c: RouterConfig): { order: Candidate[]; reason: string } {
  const meets = c.candidates.filter((x) => RANK[x.quality] >= RANK[c.minQuality]);
  const below = c.candidates.filter((x) => RANK[x.quality] < RANK[c.minQuality]);
  const cmp: Record<RouterConfig["policy"], (a: Candidate, b: Candidate) => number> = {
    cheapest: (a, b) => a.costPer1kTokens - b.costPer1kTokens || a.latencyMs - b.latencyMs,
    fastest: (a, b) => a.latencyMs - b.latencyMs || a.costPer1kTokens - b.costPer1kTokens,
    "best-quality": (a, b) => RANK[b.quality] - RANK[a.quality] || a.costPer1kTokens - b.costPer1kTokens,
  };
  const order = [...[...meets].sort(cmp[c.policy]), ...[...below].sort(cmp[c.policy])];
  const first = order[0];
  const why = {
    cheapest: `the cheapest ($${first.costPer1kTokens}/1k tokens)`,
    fastest: `the fastest (~${first.latencyMs} ms)`,
    "best-quality": `the best quality (${first.quality}${meets.filter((m) => m.quality === first.quality).length > 1 ? `, cheapest of those at $${first.costPer1kTokens}/1k` : ""})`,
  }[c.policy];
  const reason = meets.length
    ? `Policy "${c.policy}": ${first.model} is ${why} of ${meets.length} candidate${meets.length === 1 ? "" : "s"} with quality ≥ ${c.minQuality}.`
    : `Policy "${c.policy}": no candidate has quality ≥ ${c.minQuality}; using ${first.model}, ${why}.`;
  return { order, reason };
}

/** Model router: chooses the model (and fallback chain) that downstream Agents with an empty Model use. */
export const modelRouter: ExecutorFor<"model-router"> = () => (ctx) => {
  const { order, reason } = rankCandidates(ctx.config);
  const fallbacks = ctx.config.fallback ? order.slice(1).map((c) => c.model) : [];
  const choice: ModelChoice = {
    model: order[0].model,
    fallbacks,
    costs: Object.fromEntries(ctx.config.candidates.map((c) => [c.model, c.costPer1kTokens])),
    routerId: ctx.node.id,
  };
  return {
    value: { model: choice.model, fallbacks, policy: ctx.config.policy, reason },
    writes: { [INTERNAL.model]: choice },
    detail: { model: choice.model, fallbacks, reason },
    model: choice.model,
  };
};
