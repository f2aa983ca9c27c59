import { INTERNAL, type JoinEntry } from "../state";
import type { ExecutorFor } from "./types";

/**
 * Join (a deferred LangGraph node: it runs once every live branch has arrived, also when a router
 * skipped one). Collects the results the branches fed it, in Parallel map item order, then empties its
 * bucket so a loop can use it again.
 */
export const join: ExecutorFor<"join"> = () => (ctx) => {
  const buckets = (ctx.state[INTERNAL.joins] ?? {}) as Record<string, JoinEntry[]>;
  const entries = [...(buckets[ctx.node.id] ?? [])];
  entries.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return { value: entries.map((e) => e.value), writes: { [INTERNAL.joins]: { [ctx.node.id]: null } }, detail: { branches: entries.length } };
};
