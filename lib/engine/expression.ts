import jsep from "jsep";
import { EngineError, EngineErrorCode } from "./errors";
import { FORBIDDEN_NAMES } from "../workflow";
import { getOwn } from "./template";

/**
 * A small, safe expression language for Router conditions, parsed with jsep and evaluated by walking
 * the tree (no eval, no prototype access, no calls except a fixed list of pure helpers):
 * literals, state paths (`a.b[0]`, `a["x"]`), comparisons (== != === !== < <= > >=), arithmetic
 * (+ - * / %), `&& || !`, `a ? b : c`, arrays and `len contains lower upper startsWith endsWith
 * number string abs min max round`.
 */
export type Evaluator = (state: Record<string, unknown>) => unknown;

type Node = jsep.Expression;

/** A value as text: "" for null/undefined, JSON for objects and arrays (never "[object Object]"), else String(v). */
function toText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v) ?? ""; // objects and arrays; functions and symbols have no JSON and read as ""
}

const HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  len: (v) => (typeof v === "string" || Array.isArray(v) ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0),
  contains: (h, n) => (typeof h === "string" ? h.includes(toText(n)) : Array.isArray(h) ? h.some((x) => looseEquals(x, n)) : false),
  lower: (s) => toText(s).toLowerCase(),
  upper: (s) => toText(s).toUpperCase(),
  startsWith: (s, p) => toText(s).startsWith(toText(p)),
  endsWith: (s, p) => toText(s).endsWith(toText(p)),
  number: (v) => Number(v),
  string: toText,
  abs: (v) => Math.abs(Number(v)),
  min: (...v) => Math.min(...v.map(Number)),
  max: (...v) => Math.max(...v.map(Number)),
  round: (v, d) => {
    const f = 10 ** Number(d ?? 0);
    return Math.round(Number(v) * f) / f;
  },
};

/** `==`: like `===`, but numbers equal their numeric strings and null equals undefined. */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a === "number" && typeof b === "string") return b.trim() !== "" && a === Number(b);
  if (typeof a === "string" && typeof b === "number") return a.trim() !== "" && Number(a) === b;
  if (typeof a === "boolean" || typeof b === "boolean") return toText(a) === toText(b);
  return false;
}

function fail(message: string): never {
  throw new EngineError(EngineErrorCode.EXPRESSION_ERROR, message);
}

/** Names no expression may read, written out (`a.constructor`, `a["__proto__"]`, `prototype`): refused up front. */
function refuseForbidden(name: unknown): void {
  if (typeof name === "string" && FORBIDDEN_NAMES.has(name))
    fail(`"${name}" cannot be read in an expression (it would reach JavaScript internals, not your data).`);
}

function compileNode(node: Node): Evaluator {
  switch (node.type) {
    case "Literal": {
      const v = (node as jsep.Literal).value;
      return () => v;
    }
    case "Identifier": {
      const name = (node as jsep.Identifier).name;
      if (name === "true") return () => true;
      if (name === "false") return () => false;
      if (name === "null") return () => null;
      if (name === "undefined") return () => undefined;
      refuseForbidden(name);
      // A name reads the state field of that name (`process` is a field, never the host's global).
      return (s) => getOwn(s, name);
    }
    case "MemberExpression": {
      const m = node as jsep.MemberExpression;
      const obj = compileNode(m.object);
      if (!m.computed) {
        const key = (m.property as jsep.Identifier).name;
        refuseForbidden(key);
        return (s) => getOwn(obj(s), key);
      }
      if (m.property.type === "Literal") refuseForbidden((m.property as jsep.Literal).value);
      const prop = compileNode(m.property);
      // Keys computed at run time (`a["con" + "structor"]`, `a[k]`) go through getOwn, which never
      // reads the prototype chain or a forbidden name; keys that are not text or numbers read nothing.
      return (s) => {
        const k = prop(s);
        return typeof k === "string" || typeof k === "number" ? getOwn(obj(s), k) : undefined;
      };
    }
    case "UnaryExpression": {
      const u = node as jsep.UnaryExpression;
      const arg = compileNode(u.argument);
      if (u.operator === "!") return (s) => !arg(s);
      if (u.operator === "-") return (s) => -Number(arg(s));
      if (u.operator === "+") return (s) => Number(arg(s));
      return fail(`Operator "${u.operator}" is not allowed.`);
    }
    case "BinaryExpression":
    case "LogicalExpression": {
      const b = node as jsep.BinaryExpression;
      const l = compileNode(b.left);
      const r = compileNode(b.right);
      switch (b.operator) {
        case "&&":
          return (s) => l(s) && r(s);
        case "||":
          return (s) => l(s) || r(s);
        case "==":
          return (s) => looseEquals(l(s), r(s));
        case "!=":
          return (s) => !looseEquals(l(s), r(s));
        case "===":
          return (s) => l(s) === r(s);
        case "!==":
          return (s) => l(s) !== r(s);
        case "<":
          return (s) => (l(s) as number) < (r(s) as number);
        case "<=":
          return (s) => (l(s) as number) <= (r(s) as number);
        case ">":
          return (s) => (l(s) as number) > (r(s) as number);
        case ">=":
          return (s) => (l(s) as number) >= (r(s) as number);
        case "+":
          return (s) => {
            const a = l(s),
              c = r(s);
            return typeof a === "string" || typeof c === "string" ? toText(a) + toText(c) : Number(a) + Number(c);
          };
        case "-":
          return (s) => Number(l(s)) - Number(r(s));
        case "*":
          return (s) => Number(l(s)) * Number(r(s));
        case "/":
          return (s) => Number(l(s)) / Number(r(s));
        case "%":
          return (s) => Number(l(s)) % Number(r(s));
        default:
          return fail(`Operator "${b.operator}" is not allowed.`);
      }
    }
    case "ConditionalExpression": {
      const c = node as jsep.ConditionalExpression;
      const t = compileNode(c.test),
        a = compileNode(c.consequent),
        o = compileNode(c.alternate);
      return (s) => (t(s) ? a(s) : o(s));
    }
    case "ArrayExpression": {
      const items = (node as jsep.ArrayExpression).elements.map((e) => (e ? compileNode(e) : () => undefined));
      return (s) => items.map((i) => i(s));
    }
    case "CallExpression": {
      const c = node as jsep.CallExpression;
      if (c.callee.type !== "Identifier") return fail("Only helper functions can be called, e.g. len(items).");
      const name = (c.callee as jsep.Identifier).name;
      const fn = Object.prototype.hasOwnProperty.call(HELPERS, name) ? HELPERS[name] : undefined;
      if (!fn) return fail(`Unknown function "${name}"; available: ${Object.keys(HELPERS).join(", ")}.`);
      const args = c.arguments.map(compileNode);
      return (s) => fn(...args.map((a) => a(s)));
    }
    case "Compound":
      return fail("Write a single expression (no ';' or ',').");
    default:
      return fail(`"${node.type}" is not allowed in a condition.`);
  }
}

/**
 * Parses and compiles an expression; throws EngineError(EXPRESSION_ERROR) with a readable message,
 * at compile time for syntax and forbidden names, at run time for values that cannot be compared or
 * converted (an object whose own "valueOf"/"toString" keys are data makes `<` or number() throw).
 */
export function compileExpression(source: string): Evaluator {
  let ast: Node;
  try {
    ast = jsep(source);
  } catch (err) {
    return fail(`Cannot parse "${source}": ${(err as Error).message}`);
  }
  const evaluate = compileNode(ast);
  return (state) => {
    try {
      return evaluate(state);
    } catch (err) {
      if (err instanceof EngineError) throw err;
      return fail(`Cannot evaluate "${source}": ${(err as Error).message}`);
    }
  };
}
