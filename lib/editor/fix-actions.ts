/**
 * One-click fixes of topology suggestions in the editor: preview, apply, cancel. The fix itself is a
 * pure function of the document (`fixSuggestion`, lib/topology/fixes); applying it goes through the
 * store's one path for edits (`apply`), so it is undoable, marks the document unsaved (Save makes a
 * new version) and the topology analysis re-runs on the changed document like after any edit.
 */
import { fixSuggestion, type FixRefused } from "@/lib/topology/fixes";
import type { FixPreview } from "./fix-preview";
import type { EditorStore } from "./store-types";
import type { TopologyStore } from "./topology-store";

export type { FixPreview } from "./fix-preview";

/**
 * Computes the fix of `suggestion` on the editor's document and shows it (the editor is read-only
 * meanwhile, so nothing changes under the preview). Returns the refusal when the fix cannot be made,
 * else null.
 */
export function previewFix(editor: EditorStore, topo: TopologyStore, suggestion: FixPreview["suggestion"]): FixRefused | null {
  const s = editor.getState();
  const open = topo.getState().fixPreview;
  if (s.readOnly && !open) return { ok: false, code: "FIX_NOT_APPLICABLE", message: "This workflow is read-only here: fixes need edit access." };
  const base = open ? open.base : s.doc;
  const fix = fixSuggestion(base, suggestion);
  if (!fix.ok) return fix;
  topo.getState().setFixPreview({ suggestion, base, fix, readOnlyBefore: open ? open.readOnlyBefore : s.readOnly });
  s.setReadOnly(true);
  return null;
}

/** Closes the preview without changing anything. */
export function cancelFix(editor: EditorStore, topo: TopologyStore): void {
  const p = topo.getState().fixPreview;
  if (!p) return;
  topo.getState().setFixPreview(null);
  editor.getState().setReadOnly(p.readOnlyBefore);
}

/**
 * Applies the previewed fix as one undoable edit and selects what it added. The fix is computed again
 * on the document at hand (the same one the preview showed, as nothing could edit it meanwhile).
 * Returns the refusal if it no longer applies, else null.
 */
export function applyFix(editor: EditorStore, topo: TopologyStore): FixRefused | null {
  const p = topo.getState().fixPreview;
  if (!p) return null;
  cancelFix(editor, topo);
  let refused: FixRefused | null = null;
  let added: string[] = [];
  editor.getState().apply((doc) => {
    const r = fixSuggestion(doc, p.suggestion);
    if (!r.ok) {
      refused = r;
      return doc;
    }
    added = r.changes.addedNodeIds;
    return r.doc;
  });
  if (!refused && added.length) editor.getState().select(added);
  return refused;
}
