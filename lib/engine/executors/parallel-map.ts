import { EngineError, EngineErrorCode } from "../errors";
import { getPath } from "../template";
import type { ExecutorFor } from "./types";

/** The list a Parallel map fans out over, or an error saying what was found instead. */
export function mapItems(state: Record<string, unknown>, itemsFrom: string): unknown[] {
  const items = getPath(state, itemsFrom);
  if (Array.isArray(items)) return items;
  if (typeof items === "string") {
    try {
      const parsed: unknown = JSON.parse(items);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // fall through to the error
    }
  }
  throw new EngineError(
    EngineErrorCode.ITEMS_NOT_A_LIST,
    `"${itemsFrom}" must be a list to map over, but it is ${items === undefined ? "missing" : typeof items === "object" ? "an object" : `a ${typeof items}`}.`,
  );
}

/** Parallel map: checks the list; the compiler's conditional edge then sends one branch per item. */
export const parallelMap: ExecutorFor<"parallel-map"> = () => (ctx) => {
  const items = mapItems(ctx.state, ctx.config.itemsFrom);
  return { detail: { items: items.length, maxConcurrency: ctx.config.maxConcurrency } };
};
