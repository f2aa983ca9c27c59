import { describe, expect, it } from "vitest";
import { CURRENT_SCHEMA_VERSION, configJsonSchema, getNodeKind, parseWorkflow, validateWorkflow } from "./index";

const agent = getNodeKind("agent")!;
const doc = (escalation: unknown) => ({
  schemaVersion: CURRENT_SCHEMA_VERSION,
  name: "esc",
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    { id: "a", kind: "agent", label: "A", position: { x: 200, y: 0 }, config: { role: "R", ...(escalation === undefined ? {} : { escalation }) } },
  ],
  edges: [{ id: "e", source: "start", target: "a" }],
});

describe("Agent config: the Escalate policy", () => {
  it("is optional: an Agent without it parses as before (no field added, no migration)", () => {
    const parsed = agent.configSchema.parse({ role: "R" });
    expect(parsed).not.toHaveProperty("escalation");
    const r = parseWorkflow(doc(undefined));
    expect(r.ok && r.migratedFrom).toBe(null);
  });

  it("fills the defaults: off unless enabled, field source, 0.7, supervisor and human levels", () => {
    const parsed = agent.configSchema.parse({ role: "R", escalation: {} }) as { escalation: Record<string, unknown> };
    expect(parsed.escalation).toMatchObject({
      enabled: false,
      confidenceSource: "field",
      threshold: 0.7,
      confidenceField: "confidence",
      answerField: "answer",
      onFailure: true,
      supervisor: true,
      supervisorModel: "",
      human: true,
      humanTimeoutMs: 0,
      whenExhausted: "accept",
    });
  });

  it("refuses a threshold outside 0..1, an unknown source, a bad field name, and an empty expression for the expression source", () => {
    const issues = (escalation: unknown) => {
      const r = agent.configSchema.safeParse({ role: "R", escalation });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues({ threshold: 1.5 })[0]).toMatch(/^escalation\.threshold/);
    expect(issues({ confidenceSource: "vibes" })[0]).toMatch(/^escalation\.confidenceSource/);
    expect(issues({ confidenceField: "has space" })[0]).toMatch(/^escalation\.confidenceField: Confidence field must start/);
    expect(issues({ enabled: true, confidenceSource: "expression" })).toEqual([
      "escalation.expression: Write the confidence expression (e.g. len(answer) > 40), or pick another source.",
    ]);
    // Disabled, an unfinished expression is not an error (the policy does nothing).
    expect(issues({ enabled: false, confidenceSource: "expression" })).toEqual([]);
    expect(issues({ enabled: true, confidenceSource: "expression", expression: "len(answer) > 40" })).toEqual([]);
  });

  it("validation ties a bad policy to the node and the field path", () => {
    const r = parseWorkflow(doc({ enabled: true, threshold: -1 }));
    const all = r.ok ? validateWorkflow(r.document) : r.issues;
    expect(all.some((i) => i.nodeId === "a" && /threshold/.test(JSON.stringify(i)))).toBe(true);
  });

  it("shows in the inspector's generated form: one box of flat fields with widgets", () => {
    const schema = configJsonSchema(agent.configSchema) as {
      properties: Record<string, { properties?: Record<string, { widget?: string; enum?: unknown[] }> }>;
    };
    const p = schema.properties.escalation.properties!;
    expect(Object.keys(p)).toEqual(
      expect.arrayContaining(["enabled", "confidenceSource", "threshold", "supervisor", "supervisorModel", "human", "expression"]),
    );
    expect(p.expression.widget).toBe("expression");
    expect(p.supervisorPrompt.widget).toBe("textarea");
    expect(p.confidenceSource.enum).toEqual(["field", "judge", "expression"]);
  });
});
