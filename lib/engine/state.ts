import { Annotation } from "@langchain/langgraph";
import type { StateField } from "../workflow";
import type { Plan } from "./plan";

/**
 * The LangGraph state of a compiled workflow. Every field has a reducer, so parallel branches never
 * hit INVALID_CONCURRENT_GRAPH_UPDATE: `replace` keeps the last write, `append` concatenates lists
 * (a non-list write appends one item), `merge` merges objects shallowly.
 * Internal fields start with "__": the run result, the port each routing node took, Join buckets and
 * the Model router's choice.
 */
export const INTERNAL = {
  output: "__output",
  ports: "__ports",
  joins: "__joins",
  model: "__model",
} as const;

export interface JoinEntry {
  from: string;
  value: unknown;
  /** Parallel map item index, so a Join lists items in input order. */
  index?: number;
}

export interface ModelChoice {
  model: string;
  fallbacks: string[];
  /** Cost per 1k tokens of each candidate, for token cost figures. */
  costs: Record<string, number>;
  routerId: string;
}

const toList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const reducers = {
  replace: (_: unknown, b: unknown) => b,
  append: (a: unknown, b: unknown) => [...toList(a), ...toList(b)],
  merge: (a: unknown, b: unknown) => (isPlainObject(a) && isPlainObject(b) ? { ...a, ...b } : b),
  /** Join buckets: entries are appended per join id; `null` empties a bucket (the Join consumed it). */
  joins: (a: Record<string, JoinEntry[]> | undefined, b: Record<string, JoinEntry[] | null>) => {
    const next: Record<string, JoinEntry[]> = { ...(a ?? {}) };
    for (const [k, v] of Object.entries(b ?? {})) {
      if (v === null) delete next[k];
      else next[k] = [...(next[k] ?? []), ...v];
    }
    return next;
  },
};

/** The reducer of each state field (the same ones the annotation uses). */
export function reducerFor(plan: Plan): (key: string) => (a: unknown, b: unknown) => unknown {
  const declared = new Map(plan.doc.settings.stateFields.map((f) => [f.name, f.reducer]));
  return (key) => {
    if (key === INTERNAL.joins) return reducers.joins as (a: unknown, b: unknown) => unknown;
    if (key === INTERNAL.ports) return reducers.merge;
    return reducers[declared.get(key) ?? "replace"];
  };
}

/** The state annotation for a plan (one per compiled workflow; every scope uses the same fields). */
export function buildStateAnnotation(plan: Plan) {
  const declared = new Map<string, StateField>(plan.doc.settings.stateFields.map((f) => [f.name, f]));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Annotation.Root's channel types differ per field and come from the document
  const spec: Record<string, any> = {};
  for (const key of plan.stateKeys) {
    const reducer = declared.get(key)?.reducer ?? "replace";
    spec[key] =
      reducer === "append"
        ? Annotation<unknown>({ reducer: reducers.append, default: () => [] })
        : Annotation<unknown>({ reducer: reducers[reducer], default: () => undefined });
  }
  spec[INTERNAL.output] = Annotation<unknown>({ reducer: reducers.replace, default: () => undefined });
  spec[INTERNAL.ports] = Annotation<unknown>({ reducer: reducers.merge, default: () => ({}) });
  spec[INTERNAL.joins] = Annotation<unknown>({ reducer: reducers.joins as (a: unknown, b: unknown) => unknown, default: () => ({}) });
  spec[INTERNAL.model] = Annotation<unknown>({ reducer: reducers.replace, default: () => undefined });
  return Annotation.Root(spec);
}

/** The state without internal fields (what templates, events and sub-workflows see). */
export function publicState(state: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in state) if (!k.startsWith("__") && state[k] !== undefined) out[k] = state[k];
  return out;
}
