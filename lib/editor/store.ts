/**
 * One zustand store per open editor. It only coordinates: every change of the document goes through
 * `apply(fn)` with a pure doc → doc function (document-ops, clipboard, layout), which gives undo/redo,
 * the dirty marker, the local draft and re-validation in one place.
 */
import { createStore } from "zustand/vanilla";
import { validateWorkflow, type WorkflowIssue } from "@/lib/workflow";
import { connect, deleteElements, type Doc } from "./document-ops";
import { copySelection, pastePayload, type ClipboardPayload } from "./clipboard";
import { clearDraft, writeDraft } from "./draft";
import { emptyHistory, record, redo as redoHistory, undo as undoHistory, type History } from "./history";
import { groupIssues, type ElementIssues } from "./issues";
import { createFlowMapper, type Size } from "./mapping";
import { pruneEdgeSelection, pruneSelection, sameSet } from "./selection";
import { createNodesChangeHandler } from "./store-node-changes";
import { createRunSlice } from "./store-run-slice";
import type { CreateEditorStoreOptions, EditorState, EditorStore } from "./store-types";

export type { ApplyOptions, CreateEditorStoreOptions, EditorState, EditorStore } from "./store-types";

const PASTE_STEP = 40;
/** From this size on the canvas renders only what is in view (see shared/notes/canvas-performance.md). */
export const LARGE_WORKFLOW_NODES = 150;

export function createEditorStore(opts: CreateEditorStoreOptions): EditorStore {
  const startDocForSize = opts.draft ? opts.draft.document : opts.document;
  const mapper = createFlowMapper({ precomputeGeometry: startDocForSize.nodes.length > LARGE_WORKFLOW_NODES });
  const validateDelay = opts.validateDelayMs ?? 150;
  const draftDelay = opts.draftDelayMs ?? 300;
  // The document before the current drag or resize gesture (store-node-changes.ts); load clears it.
  const drag: { start: Doc | null } = { start: null };
  let validateTimer: ReturnType<typeof setTimeout> | null = null;
  let draftTimer: ReturnType<typeof setTimeout> | null = null;
  let lastPaste: { payload: ClipboardPayload; count: number } | null = null;

  const startDoc = opts.draft ? opts.draft.document : opts.document;

  const store = createStore<EditorState>()((set, get) => {
    /** Re-derives the React Flow arrays after doc, selection, size or issue changes. */
    const derive = (s: Pick<EditorState, "doc" | "selection" | "edgeSelection" | "measured" | "edgeIssues">) => ({
      nodes: mapper.mapNodes(s.doc, s.selection, s.measured),
      edges: mapper.mapEdges(s.doc, s.edgeSelection, new Set(s.edgeIssues.keys())),
    });

    const validateNow = () => {
      if (validateTimer) clearTimeout(validateTimer);
      validateTimer = null;
      const s = get();
      let issues: WorkflowIssue[];
      try {
        issues = validateWorkflow(s.doc);
      } catch (e) {
        issues = [{ code: "SCHEMA_INVALID", severity: "error", message: `Validation failed: ${e instanceof Error ? e.message : String(e)}`, path: [] }];
      }
      const nodeIssues = groupIssues(issues, "nodeId", s.nodeIssues);
      const edgeIssues = groupIssues(issues, "edgeId", s.edgeIssues);
      set({ issues, nodeIssues, edgeIssues, ...derive({ ...s, edgeIssues }) });
    };
    const scheduleValidate = () => {
      if (validateDelay === 0) return validateNow();
      if (validateTimer) clearTimeout(validateTimer);
      validateTimer = setTimeout(validateNow, validateDelay);
    };
    const persistDraft = () => {
      draftTimer = null;
      const s = get();
      if (!opts.storage) return;
      if (s.doc === s.savedDoc) clearDraft(opts.storage, s.workflowId);
      else writeDraft(opts.storage, s.workflowId, s.baseVersion, s.doc);
    };
    const scheduleDraft = () => {
      if (!opts.storage) return;
      if (draftDelay === 0) return persistDraft();
      if (draftTimer) clearTimeout(draftTimer);
      draftTimer = setTimeout(persistDraft, draftDelay);
    };

    /** Sets a new document (already recorded in history by the caller). */
    const setDoc = (doc: Doc, history: History<Doc>, extra: Partial<EditorState> = {}) => {
      const s = get();
      const selection = extra.selection ?? pruneSelection(s.selection, doc);
      const edgeSelection = extra.edgeSelection ?? pruneEdgeSelection(s.edgeSelection, doc);
      set({ ...extra, doc, history, selection, edgeSelection, ...derive({ ...s, doc, selection, edgeSelection }) });
      if (!get().dragging) scheduleValidate();
      scheduleDraft();
    };

    const apply: EditorState["apply"] = (fn, o = {}) => {
      const s = get();
      if (s.readOnly) return;
      const next = fn(s.doc);
      if (next === s.doc) {
        if (o.select) get().select(o.select);
        return;
      }
      setDoc(next, record(s.history, s.doc, o.coalesce ?? null), o.select ? { selection: new Set(o.select), edgeSelection: new Set() } : {});
    };

    const select: EditorState["select"] = (ids, edgeIds = []) => {
      const s = get();
      const selection = new Set(ids);
      const edgeSelection = new Set(edgeIds);
      if (sameSet(selection, s.selection) && sameSet(edgeSelection, s.edgeSelection)) return;
      set({ selection, edgeSelection, ...derive({ ...s, selection, edgeSelection }) });
    };

    const initial = {
      doc: startDoc,
      selection: new Set<string>(),
      edgeSelection: new Set<string>(),
      measured: new Map<string, Size>(),
      edgeIssues: new Map<string, ElementIssues>(),
    };

    return {
      workflowId: opts.workflowId,
      baseVersion: opts.draft ? opts.draft.baseVersion : opts.version,
      savedDoc: opts.document,
      history: emptyHistory<Doc>(),
      issues: [],
      nodeIssues: new Map(),
      dragging: false,
      draftRestoredAt: opts.draft ? opts.draft.savedAt || new Date().toISOString() : null,
      ...initial,
      ...derive(initial),

      apply,
      select,
      validateNow,
      undo: () => {
        const s = get();
        if (s.readOnly) return;
        const r = undoHistory(s.history, s.doc);
        if (r) setDoc(r.present, r.history);
      },
      redo: () => {
        const s = get();
        if (s.readOnly) return;
        const r = redoHistory(s.history, s.doc);
        if (r) setDoc(r.present, r.history);
      },

      onNodesChange: createNodesChangeHandler({ get, set, derive, setDoc, drag }),

      onEdgesChange: (changes) => {
        const s = get();
        let edgeSelection: Set<string> | null = null;
        for (const c of changes) {
          if (c.type === "select") {
            edgeSelection ??= new Set(s.edgeSelection);
            if (c.selected) edgeSelection.add(c.id);
            else edgeSelection.delete(c.id);
          }
        }
        if (edgeSelection) set({ edgeSelection, ...derive({ ...s, edgeSelection }) });
      },

      onConnect: (c) => apply((d) => connect(d, c)),

      selectAll: () => {
        const { doc } = get();
        select(
          [...doc.nodes.map((n) => n.id), ...doc.notes.map((n) => n.id)],
          doc.edges.map((e) => e.id),
        );
      },

      deleteSelection: () => {
        const s = get();
        const ids = s.selection;
        apply((d) => deleteElements(d, { nodes: ids, notes: ids, edges: s.edgeSelection }), { select: [] });
      },

      copy: () => {
        const s = get();
        return copySelection(s.doc, s.selection);
      },

      paste: (payload) => {
        const same = lastPaste && lastPaste.payload === payload;
        const count = same ? lastPaste!.count + 1 : 1;
        lastPaste = { payload, count };
        let ids: string[] = [];
        apply((d) => {
          const r = pastePayload(d, payload, { x: PASTE_STEP * count, y: PASTE_STEP * count });
          ids = r.ids;
          return r.doc;
        });
        get().select(ids);
      },

      duplicate: () => {
        const s = get();
        const payload = copySelection(s.doc, s.selection);
        if (!payload) return;
        let ids: string[] = [];
        apply((d) => {
          const r = pastePayload(d, payload, { x: PASTE_STEP, y: PASTE_STEP });
          ids = r.ids;
          return r.doc;
        });
        get().select(ids);
      },

      load: (version, doc) => {
        const s = get();
        drag.start = null;
        const selection = new Set<string>();
        const edgeSelection = new Set<string>();
        set({ baseVersion: version, savedDoc: doc, draftRestoredAt: null });
        setDoc(doc, emptyHistory(), { selection, edgeSelection });
        if (opts.storage) clearDraft(opts.storage, s.workflowId);
      },

      markSaved: (version, doc) => {
        set({ baseVersion: version, savedDoc: doc, draftRestoredAt: null });
        scheduleDraft();
        if (opts.storage && get().doc === doc) clearDraft(opts.storage, get().workflowId);
      },

      ...createRunSlice(set, get),

      readOnly: false,
      setReadOnly: (readOnly) => set({ readOnly }),

      dismissDraftNotice: () => set({ draftRestoredAt: null }),
      flushDraft: () => {
        if (draftTimer) clearTimeout(draftTimer);
        persistDraft();
      },
    };
  });

  if (validateDelay === 0) store.getState().validateNow();
  else setTimeout(() => store.getState().validateNow(), 0);
  return store;
}

/** True when the document has unsaved changes. */
export const selectDirty = (s: EditorState) => s.doc !== s.savedDoc;
