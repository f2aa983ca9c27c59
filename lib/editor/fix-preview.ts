import type { FixApplied } from "@/lib/topology/fixes";
import type { Suggestion } from "@/lib/topology/report";
import type { Doc } from "./document-ops";

/** A one-click fix shown on the canvas before it is applied (held in the topology store; fix-actions.ts drives it). */
export interface FixPreview {
  suggestion: Pick<Suggestion, "code" | "nodeIds" | "text">;
  /** The document the preview was computed on (the editor's document when Fix was pressed). */
  base: Doc;
  fix: FixApplied;
  /** The editor's read-only flag before the preview (restored when it closes). */
  readOnlyBefore: boolean;
}
