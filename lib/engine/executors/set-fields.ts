import type { SetFieldAssignment } from "../../workflow";
import { EngineError, EngineErrorCode } from "../errors";
import { compileExpression, type Evaluator } from "../expression";
import { reducerFor } from "../state";
import type { ExecutorFor } from "./types";

type TargetType = Exclude<SetFieldAssignment["type"], "auto"> | "auto";

const show = (v: unknown): string => {
  if (v === undefined) return "undefined";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  const text = JSON.stringify(v) ?? typeof v;
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/**
 * Converts an expression's result to the assignment's type; returns an error sentence when it does not
 * fit. Conversions are the unsurprising ones only: numeric text → number, "true"/"false" and 0/1 →
 * boolean, scalars → text, JSON text → JSON. NaN and Infinity never pass (JSON cannot hold them).
 */
export function convertValue(value: unknown, type: TargetType): { value: unknown } | { error: string } {
  switch (type) {
    case "number": {
      const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
      return Number.isFinite(n) ? { value: n } : { error: `expected a number, got ${show(value)}` };
    }
    case "string":
      if (value === undefined || value === null) return { error: `expected text, got ${show(value)}` };
      if (typeof value === "number" && !Number.isFinite(value)) return { error: `expected text, got ${show(value)}` };
      // Scalars as JSON writes them (numbers, booleans); text as it is; objects and arrays as JSON text.
      return { value: typeof value === "string" ? value : JSON.stringify(value) };
    case "boolean": {
      if (typeof value === "boolean") return { value };
      const t = typeof value === "string" ? value.trim().toLowerCase() : value;
      if (t === "true" || t === 1) return { value: true };
      if (t === "false" || t === 0) return { value: false };
      return { error: `expected true or false, got ${show(value)}` };
    }
    case "json": {
      if (value === undefined) return { error: "expected a JSON value, got undefined" };
      if (typeof value === "string") {
        try {
          return { value: JSON.parse(value) };
        } catch {
          return { error: `expected JSON text, got ${show(value)}` };
        }
      }
      if (typeof value === "number" && !Number.isFinite(value)) return { error: `expected a JSON value, got ${show(value)}` };
      return { value };
    }
    default:
      // auto: keep the type, but a number JSON cannot store is a mistake (usually a missing field).
      if (typeof value === "number" && !Number.isFinite(value))
        return { error: `the result is ${show(value)}, not a number that can be stored (is a field it reads missing?)` };
      return { value: value === undefined ? null : value };
  }
}

/**
 * Set fields: evaluates each `field = expression` in order with the safe expression language (compiled
 * once here) and writes the typed results to the state. Later lines see earlier ones. The node's result
 * is the object of the fields it set. A field declared in settings with a scalar type converts to that
 * type when the line's type is `auto`.
 */
export const setFields: ExecutorFor<"set-fields"> = (node, plan) => {
  const declared = new Map(plan.doc.settings.stateFields.map((f) => [f.name, f.type]));
  const reduce = reducerFor(plan);
  const lines = (plan.configs.get(node.id)!.assignments as SetFieldAssignment[]).map((a) => {
    let evaluate: Evaluator;
    try {
      evaluate = compileExpression(a.expression);
    } catch (err) {
      throw new EngineError(EngineErrorCode.EXPRESSION_ERROR, `Set fields "${node.label}", field "${a.field}" (${a.expression}): ${(err as Error).message}`);
    }
    const declaredType = declared.get(a.field);
    const type: TargetType =
      a.type !== "auto" ? a.type : declaredType === "string" || declaredType === "number" || declaredType === "boolean" ? declaredType : "auto";
    return { ...a, type, evaluate };
  });
  return (ctx) => {
    // No prototype: a field named "constructor" or "toString" starts out undefined, not Object's own.
    const state: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, ctx.state);
    const writes: Record<string, unknown> = {};
    for (const line of lines) {
      let raw: unknown;
      try {
        raw = line.evaluate(state);
      } catch (err) {
        throw new EngineError(
          EngineErrorCode.EXPRESSION_ERROR,
          `Set fields "${ctx.node.label}", field "${line.field}" (${line.expression}): ${(err as Error).message}`,
        );
      }
      const converted = convertValue(raw, line.type);
      if ("error" in converted)
        throw new EngineError(
          EngineErrorCode.SET_FIELDS_TYPE,
          `Set fields "${ctx.node.label}", field "${line.field}" (${line.expression}): ${converted.error}.`,
        );
      // A later write to the same field in this node is impossible (names are unique), so one reducer step is exact.
      writes[line.field] = converted.value;
      state[line.field] = reduce(line.field)(state[line.field], converted.value);
    }
    return { value: { ...writes }, writes };
  };
};
