import { describe, expect, it } from "vitest";
import { checkExpression } from "../workflow";
import { compileExpression } from "./expression";
import { renderTemplate, renderValue } from "./template";
import { EngineError } from "./errors";

// Known escape shapes of expression languages (n8n CVE-2025-68613 and friends), against the Router
// conditions / Set fields language and the {{template}} paths. None may reach a prototype, a
// constructor, Function, process or any global: each is refused with EXPRESSION_ERROR or reads as
// nothing.

const state = (): Record<string, unknown> => ({
  a: { b: 1 },
  s: "abc",
  items: [1, 2],
  k: "constructor",
  p: "__proto__",
  polluted: JSON.parse('{"__proto__": {"admin": true}, "x": 1}'),
  tricky: { valueOf: 1, toString: 1 },
});

/** Outcome of an expression: its value, "COMPILE" (refused when compiled) or "RUNTIME" (refused when run). */
function outcome(source: string, s = state()): unknown {
  let fn: (s: Record<string, unknown>) => unknown;
  try {
    fn = compileExpression(source);
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe("EXPRESSION_ERROR");
    return "COMPILE";
  }
  try {
    return fn(s);
  } catch (err) {
    expect((err as EngineError).code).toBe("EXPRESSION_ERROR");
    return "RUNTIME";
  }
}

const EXPRESSIONS: [source: string, expected: unknown][] = [
  ['a.constructor.constructor("return process")()', "COMPILE"],
  ["a.constructor", "COMPILE"],
  ['a["constructor"]', "COMPILE"],
  ["[]['constructor']", "COMPILE"],
  ['""["constructor"]', "COMPILE"],
  ["(1).constructor", "COMPILE"],
  ["constructor", "COMPILE"],
  ["__proto__", "COMPILE"],
  ["a.__proto__", "COMPILE"],
  ['a["__proto__"]["admin"]', "COMPILE"],
  ["a.prototype", "COMPILE"],
  ["toString.constructor", "COMPILE"],
  ['len.constructor("return 1")', "COMPILE"],
  ['a["const" + "ructor"]', undefined],
  ['a["__pro" + "to__"]', undefined],
  ["a[k]", undefined],
  ["a[p]", undefined],
  ["a[k][k]", undefined],
  ['a[["constructor"]]', undefined], // JS would coerce the array to "constructor"; keys must be text or numbers
  ["polluted.admin", undefined], // a JSON "__proto__" key never becomes a prototype to read through
  ["polluted.x", 1],
  ["s.toString", undefined],
  ["s.length", 3],
  ["items.length", 2],
  ["items.map", undefined],
  ["a.hasOwnProperty", undefined],
  ["a.__defineGetter__", undefined],
  ["a.__lookupGetter__('b')", "COMPILE"],
  ["items.map(len)", "COMPILE"],
  ["process", undefined],
  ["process.env", undefined],
  ["process.mainModule", undefined],
  ["globalThis", undefined],
  ["global.process", undefined],
  ["this", "COMPILE"],
  ['Function("return process")()', "COMPILE"],
  ['eval("process")', "COMPILE"],
  ['require("child_process")', "COMPILE"],
  ['import("fs")', "COMPILE"],
  ["new Function('x')", "COMPILE"],
  ["`${process}`", "COMPILE"],
  ["`${a.constructor}`", "COMPILE"],
  ["x => x", "COMPILE"],
  ["a.b = 1", "COMPILE"],
  ["({}).constructor", "COMPILE"],
  ["a; process", "COMPILE"],
  ["\\u0063onstructor", "COMPILE"],
  ["min.apply(null, [1, 2])", "COMPILE"],
  ["upper(s).constructor", "COMPILE"],
  ["tricky < 1", "RUNTIME"], // an object whose valueOf/toString are data: a clear error, not a crash
  ["number(tricky)", "RUNTIME"],
  ['contains("x", tricky)', false],
  ["len(polluted)", 2], // its own keys: "__proto__" (data) and "x"
];

describe("expressions: no path to prototypes, constructors or globals", () => {
  it.each(EXPRESSIONS)("%s → %s", (source, expected) => {
    expect(outcome(source)).toEqual(expected);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("a state field may be called process: the expression reads the field, never the host global", () => {
    expect(outcome("process", { process: "mine" })).toBe("mine");
    expect(outcome("process.env", { process: { env: "data" } })).toBe("data");
  });

  it("the editor flags the same forbidden names (a blocking EXPRESSION_INVALID)", () => {
    for (const src of ["a.constructor", 'a["__proto__"]', "prototype", 'items["constructor"].name'])
      expect(checkExpression(src).error, src).toMatch(/cannot be read/);
    expect(checkExpression('a["const" + "ructor"]').error).toBeUndefined(); // refused at run time instead
  });
});

const TEMPLATES: [template: string, expected: string][] = [
  ["{{constructor}}", ""],
  ["{{__proto__}}", ""],
  ["{{a.constructor}}", ""],
  ["{{a.constructor.name}}", ""],
  ["{{constructor.constructor}}", ""],
  ['{{a["constructor"]}}', ""],
  ["{{a.__proto__}}", ""],
  ["{{ __proto__.polluted }}", ""],
  ["{{a.prototype}}", ""],
  ["{{s.toString}}", ""],
  ["{{toString}}", ""],
  ["{{hasOwnProperty}}", ""],
  ["{{process.env}}", ""],
  ["{{polluted.admin}}", ""],
  ["{{json constructor}}", "null"],
  ["{{json a.__proto__}}", "null"],
  ["{{items.length}}", "2"],
  ["{{s.length}}", "3"],
  ["{{ {{s}} }}", "{{ abc }}"],
];

describe("templates: paths read own data only", () => {
  it.each(TEMPLATES)("%s → %j", (template, expected) => {
    expect(renderTemplate(template, state())).toBe(expected);
  });

  it("renderValue of a forbidden path gives nothing, not Object's internals", () => {
    expect(renderValue("{{constructor}}", state())).toBe("");
    expect(renderValue("{{json __proto__}}", state())).toBeNull();
  });
});
