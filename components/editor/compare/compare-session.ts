/** A saved version by number, or the document open in the editor (possibly with unsaved edits). */
export type VersionRef = number | "current";

/**
 * What the compare view shows: the diff `from` → `to`. A preview of version N is the diff from the
 * editor's document to N, so the solid graph is exactly version N and the colours say what restoring
 * it would change.
 */
export interface CompareSession {
  from: VersionRef;
  to: VersionRef;
  preview: boolean;
}

export const previewOf = (version: number): CompareSession => ({ from: "current", to: version, preview: true });

export const refLabel = (ref: VersionRef, dirty: boolean) => (ref === "current" ? (dirty ? "current (unsaved)" : "current") : `v${ref}`);
