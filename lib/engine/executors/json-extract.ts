import { EngineError, EngineErrorCode } from "../errors";
import { getOwn, getPath } from "../template";
import type { ExecutorFor } from "./types";

/** Applies `$.a.b[0]`, `$.items[*].name` to a value; `[*]` maps over a list. */
export function evaluateJsonPath(value: unknown, path: string): unknown {
  const steps = [
    ...path
      .trim()
      .replace(/^\$/, "")
      .matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[\*\]/g),
  ].map((m) => (m[1] !== undefined ? m[1] : m[2] !== undefined ? Number(m[2]) : "*"));
  const walk = (v: unknown, i: number): unknown => {
    if (i === steps.length) return v;
    const step = steps[i];
    if (step === "*") return Array.isArray(v) ? v.map((x) => walk(x, i + 1)) : undefined;
    const next = getOwn(v, step);
    return next === undefined ? undefined : walk(next, i + 1);
  };
  return walk(value, 0);
}

/** JSON extract: reads the source field (parsing JSON text) and stores the value at the path. */
export const jsonExtract: ExecutorFor<"json-extract"> = () => (ctx) => {
  let source = getPath(ctx.state, ctx.config.source);
  if (typeof source === "string" && ctx.config.path !== "$") {
    try {
      source = JSON.parse(source);
    } catch {
      throw new EngineError(
        EngineErrorCode.JSON_INVALID,
        `"${ctx.config.source}" is text that is not valid JSON, so "${ctx.config.path}" cannot be read from it.`,
      );
    }
  }
  const value = evaluateJsonPath(source, ctx.config.path);
  return { value: value === undefined ? null : value };
};
