import { INTERNAL } from "../state";
import { renderValue } from "../template";
import type { ExecutorFactory } from "./types";

/** Output: renders its value over the state; that becomes the run result. */
export const output: ExecutorFactory<{ value: string }> = () => (ctx) => {
  const value = renderValue(ctx.config.value, ctx.state);
  return { value, writes: { [INTERNAL.output]: { nodeId: ctx.node.id, value } } };
};
