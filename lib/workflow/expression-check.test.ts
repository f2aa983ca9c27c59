import { describe, expect, it } from "vitest";
import { checkExpression, CURRENT_SCHEMA_VERSION, knownStateFields, validateWorkflow, WorkflowDocumentSchema } from "./index";

const doc = (assignments: unknown[]) =>
  WorkflowDocumentSchema.parse({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    name: "t",
    nodes: [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [{ name: "name" }] } },
      { id: "set", kind: "set-fields", label: "Prepare", position: { x: 0, y: 100 }, config: { assignments } },
      { id: "out", kind: "output", label: "Out", position: { x: 0, y: 200 }, config: { value: "{{json set}}" } },
    ],
    edges: [
      { id: "e1", source: "start", target: "set" },
      { id: "e2", source: "set", target: "out" },
    ],
  });

describe("checkExpression", () => {
  it("lists the root fields an expression reads, not helpers, properties or constants", () => {
    expect(checkExpression('upper(name) + order.items[idx].title + (flag ? "x" : null)')).toEqual({ fields: ["name", "order", "idx", "flag"] });
  });

  it("reports a parse error and several expressions", () => {
    expect(checkExpression("counter +").error).toMatch(/cannot parse "counter \+"/);
    expect(checkExpression("a; b").error).toMatch(/single expression/);
  });
});

describe("Set fields validation", () => {
  it("a good node has no issues, and its fields become known state fields", () => {
    const d = doc([
      { field: "greeting", expression: 'upper(name) + "!"' },
      { field: "again", expression: "greeting" },
    ]);
    expect(validateWorkflow(d)).toEqual([]);
    expect(knownStateFields(d).has("again")).toBe(true);
  });

  it("a parse error is an error at the assignment's expression, naming the node and field", () => {
    const issues = validateWorkflow(doc([{ field: "total", expression: "price *" }]));
    expect(issues).toEqual([
      expect.objectContaining({
        code: "EXPRESSION_INVALID",
        severity: "error",
        nodeId: "set",
        path: ["nodes", 1, "config", "assignments", 0, "expression"],
        field: "assignments.0.expression",
        message: expect.stringMatching(/^Set fields "Prepare", field "total": cannot parse "price \*"/),
      }),
    ]);
  });

  it("an unknown identifier is a warning that names it", () => {
    const issues = validateWorkflow(doc([{ field: "total", expression: "prise * 2" }]));
    expect(issues).toEqual([
      expect.objectContaining({
        code: "UNKNOWN_FIELD",
        severity: "warning",
        nodeId: "set",
        path: ["nodes", 1, "config", "assignments", 0, "expression"],
        message: expect.stringContaining('"prise" is not a state field'),
      }),
    ]);
  });

  it("config errors: no assignments, a repeated field, a reserved name", () => {
    const codes = (a: unknown[]) => validateWorkflow(doc(a)).map((i) => [i.code, i.field]);
    expect(codes([])).toEqual([["CONFIG_INVALID", "assignments"]]);
    expect(
      codes([
        { field: "a", expression: "1" },
        { field: "a", expression: "2" },
      ]),
    ).toEqual([["CONFIG_INVALID", "assignments.1.field"]]);
    expect(codes([{ field: "__output", expression: "1" }])).toEqual([["CONFIG_INVALID", "assignments.0.field"]]);
  });
});
