import { describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "./index";
import { exampleInput, startFieldsOf } from "./start-input";

const withFields = (fields: unknown[]) => {
  const d = createEmptyWorkflow("t");
  return { ...d, nodes: d.nodes.map((n) => (n.kind === "start" ? { ...n, config: { fields } } : n)) };
};

describe("startFieldsOf", () => {
  it("reads the Start fields with defaults filled in, examples kept", () => {
    expect(startFieldsOf(withFields([{ name: "a" }, { name: "n", type: "number", required: false, example: 3 }]))).toEqual([
      { name: "a", type: "string", required: true, description: "" },
      { name: "n", type: "number", required: false, description: "", example: 3 },
    ]);
  });

  it("is empty without a Start node", () => {
    expect(startFieldsOf({ ...createEmptyWorkflow("t"), nodes: [] })).toEqual([]);
  });
});

describe("exampleInput", () => {
  it("builds the input from examples and names required fields that have none", () => {
    const fields = startFieldsOf(
      withFields([
        { name: "docs", type: "json", example: [{ id: "d1" }] },
        { name: "topic", required: false },
        { name: "flag", type: "boolean", example: false },
        { name: "ticket" },
      ]),
    );
    expect(exampleInput(fields)).toEqual({ input: { docs: [{ id: "d1" }], flag: false }, missing: ["ticket"] });
  });
});
