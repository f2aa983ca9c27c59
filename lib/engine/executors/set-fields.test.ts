import { describe, expect, it } from "vitest";
import { collectRun, compileWorkflow, createDefaultServices, WorkflowCompileError } from "../index";
import { buildWorkflow } from "../testing";
import { convertValue } from "./set-fields";

const services = createDefaultServices({ models: { env: {} } });
let n = 0;

/** start(fields) → set(assignments) → output(template); returns the run outcome. */
async function runSet(assignments: unknown[], input: Record<string, unknown>, output: string, settings = {}) {
  const fields = Object.keys(input).map((name) => ({ name, type: "json", required: false }));
  const doc = buildWorkflow(
    [
      ["start", "start", { fields }],
      ["set", "set-fields", { assignments }],
      ["out", "output", { value: output }],
    ],
    ["start->set", "set->out"],
    settings,
  );
  return (await collectRun(compileWorkflow(doc, services), { runId: `sf${++n}`, input })).outcome;
}

describe("set-fields executor", () => {
  it("sets typed fields from expressions, in order (each line sees the lines above)", async () => {
    const outcome = await runSet(
      [
        { field: "counter", expression: "counter + 1", type: "number" },
        { field: "shout", expression: 'upper(name) + "!"', type: "string" },
        { field: "price", expression: "order.items[0].price * 2" },
        { field: "big", expression: "counter > 5", type: "boolean" },
        { field: "raw", expression: "'{\"a\":[1,2]}'", type: "json" },
      ],
      { counter: 5, name: "ada", order: { items: [{ price: 2.5 }] } },
      "{{json counter}}|{{shout}}|{{json price}}|{{json big}}|{{json raw}}",
    );
    expect(outcome.status).toBe("succeeded");
    expect(outcome.result).toBe('6|ADA!|5|true|{"a":[1,2]}');
  });

  it("writes the fields to the state, where later nodes read them", async () => {
    const outcome = await runSet([{ field: "counter", expression: "counter + 1", type: "number" }], { counter: 41 }, "{{json counter}}");
    expect(outcome.result).toBe(42);
  });

  it("a chain of ten Set fields nodes counts to ten", async () => {
    const steps = Array.from(
      { length: 10 },
      (_, i) =>
        [`s${i}`, "set-fields", { assignments: [{ field: "counter", expression: "counter + 1", type: "number" }] }] as [
          string,
          string,
          Record<string, unknown>,
        ],
    );
    const doc = buildWorkflow(
      [["start", "start", { fields: [{ name: "counter", type: "number", required: false }] }], ...steps, ["out", "output", { value: "{{json counter}}" }]],
      ["start->s0", ...steps.slice(1).map((s, i) => `s${i}->${s[0]}`), "s9->out"],
      { stateFields: [{ name: "counter", type: "number" }] },
    );
    const { outcome } = await collectRun(compileWorkflow(doc, services), { runId: `sf${++n}`, input: { counter: 0 } });
    expect(outcome.result).toBe(10);
  });

  it("a type that does not fit fails with SET_FIELDS_TYPE naming the field and the expression", async () => {
    const outcome = await runSet([{ field: "total", expression: "name", type: "number" }], { name: "ada" }, "{{total}}");
    expect(outcome.status).toBe("failed");
    expect(outcome.error?.code).toBe("SET_FIELDS_TYPE");
    expect(outcome.error?.message).toMatch(/Set fields "set", field "total" \(name\): expected a number, got "ada"\.$/);
  });

  it("NaN from a missing field fails even with type auto", async () => {
    const outcome = await runSet([{ field: "counter", expression: "missing + 1" }], { x: 1 }, "{{counter}}");
    expect(outcome.error?.code).toBe("SET_FIELDS_TYPE");
    expect(outcome.error?.message).toMatch(/field "counter" \(missing \+ 1\): the result is NaN/);
  });

  it("a declared state field's type applies when the line says auto", async () => {
    const outcome = await runSet([{ field: "label", expression: "count" }], { count: 3 }, "{{json label}}", {
      stateFields: [{ name: "label", type: "string" }],
    });
    expect(outcome.result).toBe("3");
  });

  it("an expression that cannot compile is a compile error naming the node, field and expression", () => {
    const doc = buildWorkflow(
      [
        ["start", "start", {}],
        ["set", "set-fields", { assignments: [{ field: "x", expression: "eval(1)" }] }],
        ["out", "output", {}],
      ],
      ["start->set", "set->out"],
    );
    expect(() => compileWorkflow(doc, services)).toThrow(WorkflowCompileError);
    expect(() => compileWorkflow(doc, services)).toThrow(/Set fields "set", field "x" \(eval\(1\)\): Unknown function "eval"/);
  });
});

describe("convertValue", () => {
  it.each([
    [" 12 ", "number", 12],
    [true, "string", "true"],
    [{ a: 1 }, "string", '{"a":1}'],
    ["TRUE", "boolean", true],
    [0, "boolean", false],
    ["[1]", "json", [1]],
    [undefined, "auto", null],
  ] as const)("%j as %s is %j", (value, type, expected) => {
    expect(convertValue(value, type)).toEqual({ value: expected });
  });

  it.each([
    ["", "number"],
    [true, "number"],
    [null, "string"],
    ["yes", "boolean"],
    ["{oops", "json"],
    [undefined, "json"],
    [Infinity, "auto"],
  ] as const)("%j does not fit %s", (value, type) => {
    expect(convertValue(value, type)).toHaveProperty("error");
  });
});
