import { describe, expect, it } from "vitest";
import { getPath, renderTemplate, renderValue, templateFields } from "./template";
import { compileExpression } from "./expression";
import { rankBySimilarity } from "./similarity";
import { InMemoryMemoryService } from "./memory";

describe("templates and paths", () => {
  const state = { user: { name: "Ada", tags: ["a", "b"] }, n: 3, "node-1": { ok: true }, "a.b": 1 };
  it("reads dotted and indexed paths, whole keys first", () => {
    expect(getPath(state, "user.tags[1]")).toBe("b");
    expect(getPath(state, "node-1.ok")).toBe(true);
    expect(getPath(state, "a.b")).toBe(1);
    expect(getPath(state, "user.__proto__")).toBeUndefined();
    expect(getPath(state, "missing.x")).toBeUndefined();
  });
  it("renders text and JSON placeholders", () => {
    expect(renderTemplate("Hi {{ user.name }} ({{n}}): {{json user.tags}} {{missing}}|{{json missing}}", state)).toBe('Hi Ada (3): ["a","b"] |null');
    expect(renderTemplate("{{user}}", state)).toBe('{"name":"Ada","tags":["a","b"]}');
  });
  it("keeps the type of a single placeholder", () => {
    expect(renderValue("{{json user.tags}}", state)).toEqual(["a", "b"]);
    expect(renderValue(" {{n}} ", state)).toBe(3);
    expect(renderValue("n={{n}}", state)).toBe("n=3");
  });
  it("lists the fields a template reads", () => {
    expect(templateFields("{{a.b}} {{json c[0]}} {{a}}")).toEqual(["a", "c"]);
  });
});

describe("router expressions", () => {
  const s = { urgency: 4, intent: "legal", risk: { action: "hold", withinLimits: false }, items: [1, 2, 3], text: "Refund please" };
  it.each([
    ['urgency >= 4 || intent == "billing"', true],
    ['risk.action == "hold" && !risk.withinLimits', true],
    ["risk.withinLimits == false", true],
    ["urgency * 2 + 1 > 9", false],
    ["items[2] == 3 && len(items) == 3", true],
    ['contains(lower(text), "refund")', true],
    ['urgency == "4"', true],
    ['urgency === "4"', false],
    ["missing.deep.path == null", true],
    ['urgency > 3 ? "hi" : "lo"', "hi"],
    ["(urgency % 3) - 1", 0],
  ])("%s", (src, expected) => {
    expect(compileExpression(src)(s)).toEqual(expected);
  });
  it("refuses code, calls and prototype access", () => {
    expect(() => compileExpression("process.exit(1)")).toThrow(/helper functions/);
    expect(() => compileExpression("a = 1")).toThrow();
    expect(() => compileExpression("this")).toThrow();
    expect(() => compileExpression('eval("1")')).toThrow(/Unknown function/);
    expect(() => compileExpression("items.constructor")).toThrow(/cannot be read/);
    expect(() => compileExpression("text.__proto__")).toThrow(/cannot be read/);
    expect(() => compileExpression("a ==")).toThrow(/Cannot parse/);
  });
});

describe("memory similarity", () => {
  it("ranks by TF-IDF cosine", () => {
    const docs = ["refund for a broken blender order", "password reset email never arrived", "order arrived broken, want refund"];
    const ranked = rankBySimilarity("broken order refund", docs, 2);
    expect(ranked.map((r) => r.index).sort()).toEqual([0, 2]);
    expect(ranked[0].score).toBeGreaterThan(0.3);
    expect(rankBySimilarity("zebra", docs, 3)).toEqual([]);
  });
  it("stores and searches per namespace", async () => {
    const m = new InMemoryMemoryService();
    await m.store("a", "the cat sat on the mat", ["pets"]);
    await m.store("a", "stock prices fell sharply", ["finance"]);
    await m.store("b", "cat food", []);
    const hits = await m.search("a", "where did the cat sit", 5);
    expect(hits).toHaveLength(1);
    expect(hits[0].content).toContain("cat");
    expect((await m.search("a", "finance", 5))[0].tags).toEqual(["finance"]);
  });
});
