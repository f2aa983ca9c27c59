import { INTERNAL } from "../state";
import { renderValue } from "../template";
import type { ExecutorFor } from "./types";

/** Output: renders its value over the state; that becomes the run result. */
export const output: ExecutorFor<"output"> = () => (ctx) => {
  const value = renderValue(ctx.config.value, ctx.state);
  return { value, writes: { [INTERNAL.output]: { nodeId: ctx.node.id, value } } };
};
