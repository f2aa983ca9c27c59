import { runSandboxed } from "../sandbox/sandbox-pool";
import { publicState } from "../state";
import type { ExecutorFor } from "./types";

export { runSandboxed };

/** JavaScript transform: the code's return value becomes the node's result (sandbox: ../sandbox). */
export const jsTransform: ExecutorFor<"js-transform"> = () => async (ctx) => {
  const { value, logs } = await runSandboxed(ctx.config.code, publicState(ctx.state), {
    timeoutMs: ctx.config.timeoutMs,
    memoryLimitMb: ctx.config.memoryLimitMb,
    signal: ctx.signal,
  });
  return { value, ...(logs.length ? { detail: { logs } } : {}) };
};
