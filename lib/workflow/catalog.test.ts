import { describe, expect, it } from "vitest";
import { configJsonSchema, defaultConfigOf, getInputPorts, getNodeKind, getOutputPorts, NODE_CATEGORIES, NODE_KINDS } from "./index";

/** Kinds whose default config is deliberately incomplete: the user must fill in a required field first. */
const REQUIRED_EMPTY: Record<string, string[]> = {
  // A new Sub-workflow node cannot know which workflow to run.
  "sub-workflow": ["workflowId"],
};

describe("node-kind catalog", () => {
  it("has unique kinds, all the kinds the design names, and known categories", () => {
    const kinds = NODE_KINDS.map((k) => k.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "start",
        "agent",
        "model-router",
        "http-request",
        "js-transform",
        "template",
        "json-extract",
        "sentiment",
        "delay",
        "router",
        "human-approval",
        "parallel-map",
        "join",
        "sub-workflow",
        "memory-store",
        "memory-retrieve",
        "set-fields",
        "output",
      ]),
    );
    for (const k of NODE_KINDS) expect(NODE_CATEGORIES).toContain(k.category);
  });

  it("every kind has a label, icon, colour, description and help text", () => {
    for (const k of NODE_KINDS) {
      expect(k.label, k.kind).toBeTruthy();
      expect(k.icon, k.kind).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(k.color, k.kind).toMatch(/^#[0-9a-f]{6}$/i);
      expect(k.description.length, k.kind).toBeGreaterThan(10);
      expect(k.help.length, k.kind).toBeGreaterThan(10);
    }
  });

  it.each(NODE_KINDS.map((k) => [k.kind, k] as const))("%s: default config parses with its schema (or fails only on documented fields)", (kind, def) => {
    const result = def.configSchema.safeParse(def.defaultConfig);
    const expected = REQUIRED_EMPTY[kind];
    if (!expected) {
      expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
      // Defaults spell out every field, so a new node shows its real values in the inspector.
      expect(result.data).toEqual(def.defaultConfig);
    } else {
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.path.join("."))).toEqual(expected);
    }
  });

  it("every config schema converts to JSON Schema for the inspector form", () => {
    for (const k of NODE_KINDS) {
      const schema = configJsonSchema(k.configSchema);
      expect(schema.type, k.kind).toBe("object");
      expect(Object.keys(schema.properties as object).length, k.kind).toBeGreaterThan(0);
    }
  });

  it("defaultConfigOf returns a fresh copy that is safe to mutate", () => {
    const a = defaultConfigOf("router") as { routes: unknown[] };
    a.routes.push({ name: "extra", condition: "true" });
    expect((defaultConfigOf("router") as { routes: unknown[] }).routes).toHaveLength(1);
    expect(defaultConfigOf("no-such-kind")).toEqual({});
  });

  it("ports: Start has no input, Output no outputs, everything else one flow input", () => {
    expect(getInputPorts("start")).toEqual([]);
    expect(getOutputPorts("output", {})).toEqual([]);
    for (const k of NODE_KINDS) {
      const outs = getOutputPorts(k.kind, k.defaultConfig);
      expect(new Set(outs.map((p) => p.id)).size, k.kind).toBe(outs.length);
      if (k.kind === "start") continue;
      expect(getInputPorts(k.kind), k.kind).toEqual([{ id: "in", label: "In", type: "flow" }]);
    }
    expect(getInputPorts("no-such-kind")).toEqual([]);
    expect(getOutputPorts("no-such-kind", {})).toEqual([]);
  });

  it("ports: Agent has a Tools port, approval has approved/rejected, parallel map has each", () => {
    expect(getOutputPorts("agent", {}).map((p) => [p.id, p.type])).toEqual([
      ["out", "flow"],
      ["tools", "tools"],
    ]);
    expect(getOutputPorts("human-approval", {}).map((p) => p.id)).toEqual(["approved", "rejected"]);
    expect(getOutputPorts("parallel-map", {}).map((p) => p.id)).toEqual(["each"]);
  });

  it("ports: a Router has one output per named route plus Default, and ignores malformed routes", () => {
    const ports = getOutputPorts("router", {
      routes: [{ name: "vip", condition: 'tier == "gold"' }, { name: "" }, null, { condition: "x" }, { name: "angry", condition: "s < 0" }],
    });
    expect(ports.map((p) => p.id)).toEqual(["route:vip", "route:angry", "default"]);
    expect(getOutputPorts("router", { routes: "nonsense" }).map((p) => p.id)).toEqual(["default"]);
  });

  it("only Start is a singleton", () => {
    expect(NODE_KINDS.filter((k) => k.singleton).map((k) => k.kind)).toEqual(["start"]);
    expect(getNodeKind("start")?.singleton).toBe(true);
  });
});
