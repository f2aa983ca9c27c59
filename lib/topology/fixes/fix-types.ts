import type { WorkflowDocument } from "@/lib/workflow/schema";

/** Why a fix was not made: a closed set, so the panel can say it and tests can check it. */
export const FixRefusalCode = {
  /** The suggestion's code has no one-click fix (e.g. LIMIT_LOOP needs a condition only a person can write). */
  NOT_FIXABLE: "FIX_NOT_FIXABLE",
  /** A node the suggestion names is not in the document (it was deleted or renamed since the analysis). */
  NODE_MISSING: "FIX_NODE_MISSING",
  /** The document already has what the fix would add (a time limit, retries, a router…). */
  ALREADY_APPLIED: "FIX_ALREADY_APPLIED",
  /** The fix does not fit the graph as it is now (the chain changed, a node reads another's output…). */
  NOT_APPLICABLE: "FIX_NOT_APPLICABLE",
  /** The changed document would not pass validation (a bug guard: a fix never makes a document invalid). */
  INVALID_RESULT: "FIX_INVALID_RESULT",
} as const;
export type FixRefusalCode = (typeof FixRefusalCode)[keyof typeof FixRefusalCode];

/** What a fix changed, by id, for the preview (added elements highlighted, changed nodes marked). */
export interface FixChanges {
  addedNodeIds: string[];
  addedEdgeIds: string[];
  removedEdgeIds: string[];
  /** Nodes whose config, policy or incoming/outgoing wiring changed (not the added ones). */
  changedNodeIds: string[];
}

export interface FixApplied {
  ok: true;
  doc: WorkflowDocument;
  /** One sentence for people: what the fix does. */
  title: string;
  /** The changes, one line each (shown in the preview). */
  details: string[];
  changes: FixChanges;
}

export interface FixRefused {
  ok: false;
  code: FixRefusalCode;
  /** Says why, and what to do instead. */
  message: string;
}

export type FixResult = FixApplied | FixRefused;

export const refuse = (code: FixRefusalCode, message: string): FixRefused => ({ ok: false, code, message });

export const noChanges = (): FixChanges => ({ addedNodeIds: [], addedEdgeIds: [], removedEdgeIds: [], changedNodeIds: [] });
