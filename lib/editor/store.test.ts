import { describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "@/lib/workflow";
import { addNode, setNodeConfig } from "./document-ops";
import { readDraft, type DraftStorage } from "./draft";
import { createEditorStore, selectDirty } from "./store";

const memory = (): DraftStorage => {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
};
const make = (storage?: DraftStorage) =>
  createEditorStore({ workflowId: "wf", version: 1, document: createEmptyWorkflow("W"), storage, validateDelayMs: 0, draftDelayMs: 0 });

describe("editor store", () => {
  it("applies actions, marks dirty, undoes and redoes", () => {
    const s = make();
    const start = s.getState().doc;
    s.getState().apply((d) => addNode(d, "agent", { x: 0, y: 0 }).doc);
    expect(s.getState().doc.nodes.length).toBe(3);
    expect(selectDirty(s.getState())).toBe(true);
    s.getState().undo();
    expect(s.getState().doc).toBe(start);
    expect(selectDirty(s.getState())).toBe(false);
    s.getState().redo();
    expect(s.getState().doc.nodes.length).toBe(3);
  });

  it("coalesces a drag into one undo step and does not validate mid-drag", () => {
    const s = make();
    const before = s.getState().doc;
    const issuesBefore = s.getState().issues;
    for (let i = 1; i <= 10; i++) s.getState().onNodesChange([{ type: "position", id: "start", position: { x: i * 10, y: 0 }, dragging: true }]);
    expect(s.getState().dragging).toBe(true);
    expect(s.getState().issues).toBe(issuesBefore);
    s.getState().onNodesChange([{ type: "position", id: "start", position: { x: 100, y: 0 }, dragging: false }]);
    expect(s.getState().dragging).toBe(false);
    expect(s.getState().doc.nodes[0].position).toEqual({ x: 100, y: 0 });
    expect(s.getState().history.past.length).toBe(1);
    s.getState().undo();
    expect(s.getState().doc).toBe(before);
  });

  it("coalesces typing into one field", () => {
    const s = make();
    for (const v of ["a", "ab", "abc"]) s.getState().apply((d) => setNodeConfig(d, "output", { value: v }), { coalesce: "config:output:value" });
    expect(s.getState().history.past.length).toBe(1);
  });

  it("copies, pastes with fresh ids, duplicates and deletes the selection", () => {
    const s = make();
    s.getState().select(["start", "output"]);
    const payload = s.getState().copy()!;
    s.getState().paste(payload);
    expect(s.getState().doc.nodes.map((n) => n.id)).toEqual(["start", "output", "start-2", "output-2"]);
    expect([...s.getState().selection]).toEqual(["start-2", "output-2"]);
    s.getState().paste(payload);
    const third = s.getState().doc.nodes.find((n) => n.id === "start-3")!;
    expect(third.position).toEqual({ x: 80, y: 80 });
    s.getState().duplicate();
    expect(s.getState().doc.nodes.length).toBe(8);
    s.getState().deleteSelection();
    expect(s.getState().doc.nodes.length).toBe(6);
  });

  it("validates and groups issues per node", () => {
    const s = make();
    s.getState().apply((d) => setNodeConfig(d, "output", { value: 5 }));
    const ni = s.getState().nodeIssues.get("output")!;
    expect(ni.count).toBeGreaterThan(0);
    expect(s.getState().issues.some((i) => i.code === "CONFIG_INVALID" && i.field === "value")).toBe(true);
  });

  it("stores a draft while dirty and clears it when saved", () => {
    const storage = memory();
    const s = make(storage);
    s.getState().apply((d) => addNode(d, "agent", { x: 0, y: 0 }).doc);
    expect(readDraft(storage, "wf")!.baseVersion).toBe(1);
    const doc = s.getState().doc;
    s.getState().markSaved(2, doc);
    expect(readDraft(storage, "wf")).toBeNull();
    expect(s.getState().baseVersion).toBe(2);
    expect(selectDirty(s.getState())).toBe(false);
  });

  it("starts from a draft with its base version and a notice", () => {
    const storage = memory();
    const draftDoc = addNode(createEmptyWorkflow("W"), "agent", { x: 0, y: 0 }).doc;
    const s = createEditorStore({
      workflowId: "wf",
      version: 4,
      document: createEmptyWorkflow("W"),
      storage,
      draft: { baseVersion: 3, document: draftDoc, savedAt: "t" },
      validateDelayMs: 0,
    });
    expect(s.getState().doc).toBe(draftDoc);
    expect(s.getState().baseVersion).toBe(3);
    expect(s.getState().draftRestoredAt).toBe("t");
    expect(selectDirty(s.getState())).toBe(true);
    s.getState().load(5, createEmptyWorkflow("Theirs"));
    expect(s.getState().doc.name).toBe("Theirs");
    expect(s.getState().history.past).toEqual([]);
    expect(selectDirty(s.getState())).toBe(false);
  });

  it("refuses every edit while read-only (version preview); load still replaces the document", () => {
    const s = make();
    s.getState().apply((d) => addNode(d, "agent", { x: 0, y: 0 }).doc);
    s.getState().setReadOnly(true);
    const frozen = s.getState().doc;
    s.getState().apply((d) => addNode(d, "agent", { x: 9, y: 9 }).doc);
    s.getState().undo();
    s.getState().onNodesChange([{ type: "position", id: "start", position: { x: 500, y: 500 }, dragging: false }]);
    s.getState().select(["start"]);
    s.getState().deleteSelection();
    expect(s.getState().doc).toBe(frozen);
    const other = createEmptyWorkflow("Other");
    s.getState().load(2, other);
    expect(s.getState().doc).toBe(other);
    s.getState().setReadOnly(false);
    s.getState().apply((d) => addNode(d, "agent", { x: 0, y: 0 }).doc);
    expect(s.getState().doc.nodes).toHaveLength(3);
  });
});
