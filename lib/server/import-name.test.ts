import { describe, expect, it } from "vitest";
import { uniqueImportName } from "./import-name";

describe("uniqueImportName", () => {
  it("keeps a free name", () => {
    expect(uniqueImportName("Support triage", ["Other"])).toBe("Support triage");
  });

  it("adds (imported), then (2), (3) … when the name is taken", () => {
    expect(uniqueImportName("Support triage", ["Support triage"])).toBe("Support triage (imported)");
    expect(uniqueImportName("Support triage", ["Support triage", "Support triage (imported)"])).toBe("Support triage (2)");
    expect(uniqueImportName("Support triage", ["Support triage", "Support triage (imported)", "Support triage (2)"])).toBe("Support triage (3)");
  });

  it("compares names as people read them (case and outer spaces ignored)", () => {
    expect(uniqueImportName(" support TRIAGE ", ["Support triage"])).toBe("support TRIAGE (imported)");
  });
});
