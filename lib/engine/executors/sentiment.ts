import Sentiment from "sentiment";
import { renderTemplate } from "../template";
import type { ExecutorFor } from "./types";

const analyzer = new Sentiment();

/** Sentiment: AFINN lexicon score of the rendered text, with a positive / neutral / negative label. */
export const sentiment: ExecutorFor<"sentiment"> = () => (ctx) => {
  const r = analyzer.analyze(renderTemplate(ctx.config.text, ctx.state));
  const label = r.score > 0 ? "positive" : r.score < 0 ? "negative" : "neutral";
  return { value: { score: r.score, comparative: Math.round(r.comparative * 1000) / 1000, label, positive: r.positive, negative: r.negative } };
};
