/**
 * React Flow's node changes (drag, resize, measure, select) → editor store updates. A drag or resize
 * gesture moves the document without history steps or validation, then records one undo step when it ends.
 */
import type { NodeChange } from "@xyflow/react";
import type { StoreApi } from "zustand/vanilla";
import type { Position } from "@/lib/workflow";
import { moveElements, updateNote, type Doc } from "./document-ops";
import { record, type History } from "./history";
import type { FlowNode, Size } from "./mapping";
import type { EditorState } from "./store-types";

export interface NodeChangeDeps {
  get: StoreApi<EditorState>["getState"];
  set: StoreApi<EditorState>["setState"];
  /** Re-derives the React Flow arrays (store.ts). */
  derive: (s: Pick<EditorState, "doc" | "selection" | "edgeSelection" | "measured" | "edgeIssues">) => Pick<EditorState, "nodes" | "edges">;
  /** Sets a new document already recorded in history (store.ts). */
  setDoc: (doc: Doc, history: History<Doc>, extra?: Partial<EditorState>) => void;
  /** The document before the current gesture (null: no gesture); `load` clears it. */
  drag: { start: Doc | null };
}

export function createNodesChangeHandler({ get, set, derive, setDoc, drag }: NodeChangeDeps): (changes: NodeChange<FlowNode>[]) => void {
  return (changes) => {
    const s = get();
    const positions = new Map<string, Position>();
    let dragEnded = false;
    let dragging = s.dragging;
    let measured: Map<string, Size> | null = null;
    let selection: Set<string> | null = null;
    const resized: { id: string; width: number; height: number; resizing: boolean }[] = [];
    for (const c of changes) {
      if (c.type === "position" && c.position) {
        positions.set(c.id, { x: Math.round(c.position.x), y: Math.round(c.position.y) });
        if (c.dragging) dragging = true;
        else if (s.dragging) dragEnded = true;
      } else if (c.type === "position" && !c.dragging && s.dragging) {
        dragEnded = true;
      } else if (c.type === "dimensions" && c.dimensions) {
        measured ??= new Map(s.measured);
        measured.set(c.id, { width: c.dimensions.width, height: c.dimensions.height });
        if (c.setAttributes) resized.push({ id: c.id, ...c.dimensions, resizing: !!c.resizing });
      } else if (c.type === "select") {
        selection ??= new Set(s.selection);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
    }
    if (measured || selection) {
      const next = { measured: measured ?? s.measured, selection: selection ?? s.selection };
      set({ ...next, ...derive({ ...s, ...next }) });
    }
    const cur = get();
    if (cur.readOnly) return;
    let doc = cur.doc;
    if (positions.size) doc = moveElements(doc, positions);
    for (const r of resized) doc = updateNote(doc, r.id, { width: r.width, height: r.height });
    const gesture = dragging || resized.some((r) => r.resizing);
    if (gesture && !drag.start) drag.start = cur.doc;
    if (doc !== cur.doc || dragEnded || (dragging && !cur.dragging)) {
      if (gesture && !dragEnded) {
        // Mid-gesture: move without a history step and without validating.
        if (doc !== cur.doc) setDoc(doc, cur.history, { dragging: true });
        else set({ dragging: true });
      } else if (drag.start) {
        const before = drag.start;
        drag.start = null;
        set({ dragging: false });
        const history = before === doc ? cur.history : record(cur.history, before, null);
        setDoc(doc, history);
      } else if (doc !== cur.doc) {
        setDoc(doc, record(cur.history, cur.doc, "move-keys"));
      }
    }
  };
}
