import { describe, expect, it } from "vitest";
import { jsonValueOf, jsonValueText } from "./schema-form";

describe("the json widget (Start field examples)", () => {
  it("shows strings as plain text and other values as JSON, and reads them back to the same value", () => {
    for (const v of ["ACME", "42", "true", 5000, 0.1, true, null, [{ id: "d1", text: "hi" }], { a: 1 }]) {
      expect(jsonValueOf(jsonValueText(v)), JSON.stringify(v)).toEqual(v);
    }
    expect(jsonValueText("ACME")).toBe("ACME");
    expect(jsonValueText("42")).toBe('"42"');
    expect(jsonValueText([1])).toBe("[\n  1\n]");
  });

  it("keeps text that is not JSON as a string, and an empty box means no example", () => {
    expect(jsonValueOf("Where is my order?")).toBe("Where is my order?");
    expect(jsonValueOf("12")).toBe(12);
    expect(jsonValueOf("  ")).toBeUndefined();
  });
});
