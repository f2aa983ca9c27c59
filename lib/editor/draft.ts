/**
 * Local drafts: unsaved edits kept in localStorage per workflow, with the version they were based
 * on, so a reload (or a crash) loses nothing. Read back through parseWorkflow like any document.
 */
import { parseWorkflow, type WorkflowDocument } from "@/lib/workflow";

export interface Draft {
  baseVersion: number;
  document: WorkflowDocument;
  savedAt: string;
}

/** The slice of Storage the drafts need (tests pass a Map-backed one). */
export type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export const draftKey = (workflowId: string) => `aura:draft:${workflowId}`;

export function writeDraft(storage: DraftStorage, workflowId: string, baseVersion: number, document: WorkflowDocument, now = new Date()): boolean {
  try {
    storage.setItem(draftKey(workflowId), JSON.stringify({ baseVersion, document, savedAt: now.toISOString() }));
    return true;
  } catch {
    return false; // quota or private mode: the draft is best effort
  }
}

/** The stored draft, or null when there is none or it is unreadable (a broken one is removed). */
export function readDraft(storage: DraftStorage, workflowId: string): Draft | null {
  let raw: string | null;
  try {
    raw = storage.getItem(draftKey(workflowId));
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { baseVersion?: unknown; document?: unknown; savedAt?: unknown };
    const parsed = parseWorkflow(v.document);
    if (!parsed.ok || typeof v.baseVersion !== "number") throw new Error("bad draft");
    return { baseVersion: v.baseVersion, document: parsed.document, savedAt: typeof v.savedAt === "string" ? v.savedAt : "" };
  } catch {
    clearDraft(storage, workflowId);
    return null;
  }
}

export function clearDraft(storage: DraftStorage, workflowId: string): void {
  try {
    storage.removeItem(draftKey(workflowId));
  } catch {
    /* nothing to do */
  }
}

/** localStorage when the browser has it, otherwise a no-op storage. */
export function browserStorage(): DraftStorage {
  try {
    if (typeof window !== "undefined" && window.localStorage) return window.localStorage;
  } catch {
    /* blocked */
  }
  return { getItem: () => null, setItem: () => {}, removeItem: () => {} };
}
