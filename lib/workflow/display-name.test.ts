import { describe, expect, it } from "vitest";
import { nodeDisplayName } from "./display-name";

describe("nodeDisplayName", () => {
  it("shows the role while an Agent's label is the default", () => {
    expect(nodeDisplayName({ kind: "agent", label: "Agent", config: { role: "Researcher" } })).toBe("Researcher");
    expect(nodeDisplayName({ kind: "agent", label: "Agent 2", config: { role: "Writer" } })).toBe("Writer");
    expect(nodeDisplayName({ kind: "agent", label: "", config: { role: "Writer" } })).toBe("Writer");
  });

  it("shows the user's own label over the role", () => {
    expect(nodeDisplayName({ kind: "agent", label: "Fact checker", config: { role: "Researcher" } })).toBe("Fact checker");
    expect(nodeDisplayName({ kind: "agent", label: "Agent Smith", config: { role: "Researcher" } })).toBe("Agent Smith");
  });

  it("falls back to the label, then the kind, for kinds without a role", () => {
    expect(nodeDisplayName({ kind: "output", label: "Output", config: {} })).toBe("Output");
    expect(nodeDisplayName({ kind: "http-request", label: "", config: {} })).toBe("HTTP request");
    expect(nodeDisplayName({ kind: "agent", label: "Agent", config: { role: "  " } })).toBe("Agent");
  });
});
