import { describe, expect, it } from "vitest";
import { buildWorkflow } from "@/lib/engine/testing";
import { analyzeTopology } from "@/lib/topology";
import { applyFix, cancelFix, previewFix } from "./fix-actions";
import { createEditorStore, selectDirty } from "./store";
import { createTopologyStore } from "./topology-store";

const approvalDoc = () =>
  buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "q", type: "string" }] }],
      ["a", "template", { template: "A {{q}}", outputKey: "ra" }],
      ["b", "template", { template: "B {{q}}", outputKey: "rb" }],
      ["review", "human-approval", { instructions: "ok?" }],
      ["out", "output", { value: "{{ra}}" }],
    ],
    ["start->a", "a->b", "b->review", "review->out:approved", "review->out:rejected"],
  );
const make = () => {
  const editor = createEditorStore({ workflowId: "wf", version: 1, document: approvalDoc(), validateDelayMs: 0, draftDelayMs: 0 });
  return { editor, topo: createTopologyStore() };
};

describe("fix actions", () => {
  it("previews without editing (read-only meanwhile), applies as one undoable edit, Ctrl+Z restores", () => {
    const { editor, topo } = make();
    const before = editor.getState().doc;
    const suggestion = analyzeTopology(before)
      .nodes.find((n) => n.id === "review")!
      .suggestions.find((s) => s.code === "ADD_TIMEOUT")!;
    expect(previewFix(editor, topo, suggestion)).toBeNull();
    const p = topo.getState().fixPreview!;
    expect(p.fix.doc.nodes.find((n) => n.id === "review")!.config.timeoutMs).toBe(86_400_000);
    expect(editor.getState().doc).toBe(before);
    expect(editor.getState().readOnly).toBe(true);
    // Nothing edits the document under the preview.
    editor.getState().apply((d) => ({ ...d, name: "changed" }));
    expect(editor.getState().doc).toBe(before);

    expect(applyFix(editor, topo)).toBeNull();
    expect(topo.getState().fixPreview).toBeNull();
    expect(editor.getState().readOnly).toBe(false);
    expect(editor.getState().doc.nodes.find((n) => n.id === "review")!.config.timeoutMs).toBe(86_400_000);
    expect(selectDirty(editor.getState())).toBe(true);
    expect(editor.getState().history.past.length).toBe(1);

    editor.getState().undo();
    expect(editor.getState().doc).toBe(before);
    editor.getState().redo();
    expect(editor.getState().doc.nodes.find((n) => n.id === "review")!.config.timeoutMs).toBe(86_400_000);
  });

  it("cancel leaves the document alone; a refused fix shows no preview; a parallelise fix selects its Join", () => {
    const { editor, topo } = make();
    const before = editor.getState().doc;
    const par = analyzeTopology(before).parallelisable[0];
    expect(par.nodeIds).toEqual(["a", "b"]);
    expect(previewFix(editor, topo, { code: "PARALLELISE", nodeIds: par.nodeIds, text: "" })).toBeNull();
    cancelFix(editor, topo);
    expect(editor.getState().doc).toBe(before);
    expect(editor.getState().readOnly).toBe(false);
    expect(editor.getState().history.past.length).toBe(0);

    expect(previewFix(editor, topo, { code: "LIMIT_LOOP", nodeIds: ["a"], text: "" })).toMatchObject({ ok: false, code: "FIX_NOT_FIXABLE" });
    expect(topo.getState().fixPreview).toBeNull();

    previewFix(editor, topo, { code: "PARALLELISE", nodeIds: par.nodeIds, text: "" });
    applyFix(editor, topo);
    const join = editor.getState().doc.nodes.find((n) => n.kind === "join")!;
    expect([...editor.getState().selection]).toEqual([join.id]);
    expect(analyzeTopology(editor.getState().doc).parallelisable).toEqual([]);
  });

  it("a read-only editor (viewer) gets no preview", () => {
    const { editor, topo } = make();
    editor.getState().setReadOnly(true);
    expect(previewFix(editor, topo, { code: "ADD_TIMEOUT", nodeIds: ["review"], text: "" })).toMatchObject({ ok: false });
    expect(topo.getState().fixPreview).toBeNull();
  });
});
