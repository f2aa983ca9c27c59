/**
 * One zustand store per open editor. It only coordinates: every change of the document goes through
 * `apply(fn)` with a pure doc → doc function (document-ops, clipboard, layout), which gives undo/redo,
 * the dirty marker, the local draft and re-validation in one place.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import type { Connection, EdgeChange, NodeChange } from "@xyflow/react";
import { validateWorkflow, type Position, type WorkflowDocument, type WorkflowIssue } from "@/lib/workflow";
import { connect, deleteElements, moveElements, updateNote, type Doc } from "./document-ops";
import { copySelection, pastePayload, type ClipboardPayload } from "./clipboard";
import { clearDraft, writeDraft, type DraftStorage } from "./draft";
import { emptyHistory, record, redo as redoHistory, undo as undoHistory, type History } from "./history";
import { groupIssues, type ElementIssues } from "./issues";
import { createFlowMapper, type FlowEdge, type FlowNode, type Size } from "./mapping";
import type { RunEvent } from "@/lib/contracts/events";
import { IDLE_OVERLAY, reduceRunEvents, watchOverlay, type RunOverlay } from "./run-overlay";
import { planReplay, type RunReplay } from "./run-replay";

export interface ApplyOptions {
  /** Edits with the same key in quick succession (typing in one field) are one undo step. */
  coalesce?: string;
  /** Select these ids after the change (new nodes, pasted nodes). */
  select?: string[];
}

export interface EditorState {
  workflowId: string;
  /** The saved version this document is based on (sent as baseVersion on save). */
  baseVersion: number;
  doc: Doc;
  /** The last document known to be on the server; `doc !== savedDoc` means unsaved changes. */
  savedDoc: Doc;
  history: History<Doc>;
  selection: ReadonlySet<string>;
  edgeSelection: ReadonlySet<string>;
  measured: ReadonlyMap<string, Size>;
  nodes: FlowNode[];
  edges: FlowEdge[];
  issues: WorkflowIssue[];
  nodeIssues: ReadonlyMap<string, ElementIssues>;
  edgeIssues: ReadonlyMap<string, ElementIssues>;
  dragging: boolean;
  /** Set when the document came from a local draft, until the user dismisses the notice or saves. */
  draftRestoredAt: string | null;
  /** The live run overlay (run-overlay.ts): the run being watched on the canvas. */
  run: RunOverlay;
  /** While a version is previewed or compared, no edit may reach the document (load still replaces it). */
  readOnly: boolean;
  /** A fast run's path replayed node by node after it ended (run-replay.ts); null otherwise. */
  replay: RunReplay | null;

  apply: (fn: (doc: Doc) => Doc, opts?: ApplyOptions) => void;
  undo: () => void;
  redo: () => void;
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  onConnect: (c: Connection) => void;
  select: (ids: Iterable<string>, edgeIds?: Iterable<string>) => void;
  selectAll: () => void;
  deleteSelection: () => void;
  copy: () => ClipboardPayload | null;
  paste: (payload: ClipboardPayload) => void;
  duplicate: () => void;
  /** Replaces the document with a server version (reload, restore); history and draft are cleared. */
  load: (version: number, doc: WorkflowDocument) => void;
  /** The server accepted `doc` as `version`. Edits made while saving stay unsaved. */
  markSaved: (version: number, doc: WorkflowDocument) => void;
  dismissDraftNotice: () => void;
  /** Writes (or clears) the local draft now, e.g. before the page unloads. */
  flushDraft: () => void;
  /** Validates now (tests and save call this; edits schedule it). */
  validateNow: () => void;
  /** Watches a run on the canvas (null: none); the overlay starts empty and fills from its events. */
  watchRun: (runId: string | null) => void;
  /** Applies a batch of the watched run's events (call once per animation frame: createFrameBatcher). */
  applyRunEvents: (events: RunEvent[]) => void;
  setReadOnly: (readOnly: boolean) => void;
}

export interface CreateEditorStoreOptions {
  workflowId: string;
  version: number;
  document: WorkflowDocument;
  /** A local draft to start from instead of the server document. */
  draft?: { baseVersion: number; document: WorkflowDocument; savedAt: string } | null;
  storage?: DraftStorage;
  /** Delay before re-validating after an edit (ms); 0 validates synchronously. */
  validateDelayMs?: number;
  draftDelayMs?: number;
}

export type EditorStore = StoreApi<EditorState>;

const PASTE_STEP = 40;
/** From this size on the canvas renders only what is in view (see shared/notes/canvas-performance.md). */
export const LARGE_WORKFLOW_NODES = 150;

export function createEditorStore(opts: CreateEditorStoreOptions): EditorStore {
  const startDocForSize = opts.draft ? opts.draft.document : opts.document;
  const mapper = createFlowMapper({ precomputeGeometry: startDocForSize.nodes.length > LARGE_WORKFLOW_NODES });
  const validateDelay = opts.validateDelayMs ?? 150;
  const draftDelay = opts.draftDelayMs ?? 300;
  let dragStart: Doc | null = null;
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

      onNodesChange: (changes) => {
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
        if (gesture && !dragStart) dragStart = cur.doc;
        if (doc !== cur.doc || dragEnded || (dragging && !cur.dragging)) {
          if (gesture && !dragEnded) {
            // Mid-gesture: move without a history step and without validating.
            if (doc !== cur.doc) setDoc(doc, cur.history, { dragging: true });
            else set({ dragging: true });
          } else if (dragStart) {
            const before = dragStart;
            dragStart = null;
            set({ dragging: false });
            const history = before === doc ? cur.history : record(cur.history, before, null);
            setDoc(doc, history);
          } else if (doc !== cur.doc) {
            setDoc(doc, record(cur.history, cur.doc, "move-keys"));
          }
        }
      },

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
        dragStart = null;
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

      run: IDLE_OVERLAY,
      replay: null,
      watchRun: (runId) => {
        // Watching another run ends any replay at once: it never plays over a new run.
        if (get().run.runId !== runId) set({ run: watchOverlay(runId), replay: null });
      },
      applyRunEvents: (events) => {
        const prev = get().run;
        const run = reduceRunEvents(prev, events);
        if (run === prev) return;
        const replay = planReplay(prev, run);
        if (!replay) return set({ run });
        set({ run, replay });
        // Dropped once played, so a node drawn again later (scrolled into view, zoom level changed) does not replay.
        setTimeout(() => {
          if (get().replay === replay) set({ replay: null });
        }, replay.totalMs + 100);
      },

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

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>) {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function pruneSelection(sel: ReadonlySet<string>, doc: Doc): ReadonlySet<string> {
  if (sel.size === 0) return sel;
  const ids = new Set<string>();
  for (const n of doc.nodes) if (sel.has(n.id)) ids.add(n.id);
  for (const n of doc.notes) if (sel.has(n.id)) ids.add(n.id);
  return ids.size === sel.size ? sel : ids;
}

function pruneEdgeSelection(sel: ReadonlySet<string>, doc: Doc): ReadonlySet<string> {
  if (sel.size === 0) return sel;
  const ids = new Set<string>();
  for (const e of doc.edges) if (sel.has(e.id)) ids.add(e.id);
  return ids.size === sel.size ? sel : ids;
}

/** True when the document has unsaved changes. */
export const selectDirty = (s: EditorState) => s.doc !== s.savedDoc;
