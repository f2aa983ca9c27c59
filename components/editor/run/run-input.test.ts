import { describe, expect, it } from "vitest";
import { StartFieldSchema, type StartField } from "@/lib/workflow";
import { examplesText, initialRunText, parseRunInput } from "./run-input";

const field = (f: Record<string, unknown>): StartField => StartFieldSchema.parse(f);
const fields = [
  field({ name: "docs", type: "json", example: [{ id: "d1" }] }),
  field({ name: "topic", required: false }),
  field({ name: "size", type: "number", example: 5000 }),
  field({ name: "live", type: "boolean", example: true }),
];

describe("run dialog input", () => {
  it("opens with the examples when this browser never ran the workflow, and they parse back to the examples", () => {
    const { text, source } = initialRunText(fields, null);
    expect(source).toBe("examples");
    expect(text).toEqual({ docs: '[\n  {\n    "id": "d1"\n  }\n]', size: "5000", live: "true" });
    expect(parseRunInput(fields, text)).toEqual({ input: { docs: [{ id: "d1" }], size: 5000, live: true }, errors: {} });
  });

  it("prefers the last input; fields new since then get their example, removed ones are dropped", () => {
    const { text, source } = initialRunText(fields, { topic: "mine", size: "10", gone: "x" });
    expect(source).toBe("last");
    expect(text).toEqual({ docs: examplesText(fields).docs, topic: "mine", size: "10", live: "true" });
  });

  it("is empty with neither, and then required fields are reported", () => {
    const bare = [field({ name: "ticket" }), field({ name: "n", type: "number" })];
    expect(initialRunText(bare, null)).toEqual({ text: {}, source: "empty" });
    expect(parseRunInput(bare, { n: "abc" }).errors).toEqual({ ticket: "Required.", n: "Enter a number." });
  });
});
