import { describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "@/lib/workflow";
import { clearDraft, draftKey, readDraft, writeDraft, type DraftStorage } from "./draft";

const memory = (): DraftStorage & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
};

describe("draft storage", () => {
  it("writes, reads and clears a draft per workflow", () => {
    const s = memory();
    const doc = createEmptyWorkflow("Draft");
    expect(writeDraft(s, "wf1", 3, doc, new Date("2026-01-01T00:00:00Z"))).toBe(true);
    const d = readDraft(s, "wf1")!;
    expect(d.baseVersion).toBe(3);
    expect(d.document.name).toBe("Draft");
    expect(d.savedAt).toBe("2026-01-01T00:00:00.000Z");
    expect(readDraft(s, "wf2")).toBeNull();
    clearDraft(s, "wf1");
    expect(readDraft(s, "wf1")).toBeNull();
  });

  it("drops unreadable drafts", () => {
    const s = memory();
    s.setItem(draftKey("x"), "{not json");
    expect(readDraft(s, "x")).toBeNull();
    expect(s.map.has(draftKey("x"))).toBe(false);
    s.setItem(draftKey("y"), JSON.stringify({ baseVersion: 1, document: "not a document" }));
    expect(readDraft(s, "y")).toBeNull();
  });

  it("survives a storage that throws", () => {
    const bad: DraftStorage = {
      getItem: () => {
        throw new Error("blocked");
      },
      setItem: () => {
        throw new Error("quota");
      },
      removeItem: () => {},
    };
    expect(writeDraft(bad, "a", 1, createEmptyWorkflow("A"))).toBe(false);
    expect(readDraft(bad, "a")).toBeNull();
  });
});
