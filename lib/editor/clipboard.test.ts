import { describe, expect, it } from "vitest";
import { createEmptyWorkflow, parseWorkflow } from "@/lib/workflow";
import { CLIPBOARD_MARKER, copySelection, parseClipboard, pastePayload } from "./clipboard";
import { addNode, addNote, connect } from "./document-ops";

describe("clipboard", () => {
  it("copies selected nodes with the edges between them only", () => {
    let { doc } = addNode(createEmptyWorkflow("A"), "agent", { x: 0, y: 100 });
    doc = connect(doc, { source: "start", target: "agent" });
    const p = copySelection(doc, new Set(["agent", "output"]))!;
    expect(p.nodes.map((n) => n.id)).toEqual(["output", "agent"]);
    expect(p.edges).toEqual([]);
    const q = copySelection(doc, new Set(["start", "agent"]))!;
    expect(q.edges.map((e) => `${e.source}>${e.target}`)).toEqual(["start>agent"]);
    expect(copySelection(doc, new Set())).toBeNull();
  });

  it("pastes into the same workflow with renamed ids, remapped edges and an offset", () => {
    const doc = createEmptyWorkflow("A");
    const p = copySelection(doc, new Set(["start", "output"]))!;
    const r = pastePayload(doc, p, { x: 40, y: 40 });
    expect(r.ids).toEqual(["start-2", "output-2"]);
    const e = r.doc.edges.at(-1)!;
    expect(e).toMatchObject({ source: "start-2", target: "output-2" });
    expect(e.id).not.toBe(doc.edges[0].id);
    expect(r.doc.nodes.find((n) => n.id === "output-2")!.position).toEqual({ x: 360, y: 40 }); // Output sits at (320, 0)
    expect(parseWorkflow(r.doc).ok).toBe(true);
  });

  it("pastes into another workflow keeping free ids, and round-trips through text", () => {
    const a = addNote(createEmptyWorkflow("A"), { x: 0, y: 0 }, "note text");
    const p = copySelection(a.doc, new Set(["output", a.id]))!;
    const text = JSON.stringify(p);
    expect(text).toContain(CLIPBOARD_MARKER);
    const parsed = parseClipboard(text)!;
    const other = { ...createEmptyWorkflow("B"), nodes: [createEmptyWorkflow("B").nodes[0]], edges: [] };
    const r = pastePayload(other, parsed, { x: 0, y: 0 });
    expect(r.ids).toEqual(["output", "note"]);
    expect(parseWorkflow(r.doc).ok).toBe(true);
  });

  it("ignores foreign clipboard text", () => {
    expect(parseClipboard("hello")).toBeNull();
    expect(parseClipboard(`{"marker":"${CLIPBOARD_MARKER}"`)).toBeNull();
    expect(parseClipboard(JSON.stringify({ marker: "other", nodes: [], edges: [], notes: [] }))).toBeNull();
  });
});
