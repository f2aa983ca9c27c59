import { sleep } from "../run-context";
import type { ExecutorFor } from "./types";

/** Delay: waits, and stops waiting at once when the run is cancelled or the node times out. */
export const delay: ExecutorFor<"delay"> = () => async (ctx) => {
  await sleep(ctx.config.ms, ctx.signal);
  return {};
};
