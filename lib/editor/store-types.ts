/** The editor store's state and actions (store.ts builds it; the slices in store-*.ts fill parts of it). */
import type { StoreApi } from "zustand/vanilla";
import type { Connection, EdgeChange, NodeChange } from "@xyflow/react";
import type { WorkflowDocument, WorkflowIssue } from "@/lib/workflow";
import type { RunEvent } from "@/lib/contracts/events";
import type { ClipboardPayload } from "./clipboard";
import type { Doc } from "./document-ops";
import type { DraftStorage } from "./draft";
import type { History } from "./history";
import type { ElementIssues } from "./issues";
import type { FlowEdge, FlowNode, Size } from "./mapping";
import type { RunOverlay } from "./run-overlay";
import type { RunReplay } from "./run-replay";

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
