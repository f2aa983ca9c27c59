import { INTERNAL } from "../state";
import { renderValue } from "../template";
import { previousResult } from "../previous-result";
import type { ExecutorFor } from "./types";

/**
 * Output: renders its value over the state; that becomes the run result. An empty value returns
 * what the step before it produced (a new workflow's Output), and `from` records which node that was.
 */
export const output: ExecutorFor<"output"> = () => (ctx) => {
  if (!ctx.config.value.trim()) {
    const { from, value } = previousResult(ctx.plan, ctx.node.id, ctx.state);
    return { value, writes: { [INTERNAL.output]: { nodeId: ctx.node.id, value, ...(from ? { from } : {}) } } };
  }
  const value = renderValue(ctx.config.value, ctx.state);
  return { value, writes: { [INTERNAL.output]: { nodeId: ctx.node.id, value } } };
};
