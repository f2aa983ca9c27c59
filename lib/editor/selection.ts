/** Selection helpers of the editor store: pure functions over id sets. */
import type { Doc } from "./document-ops";

/** True when both sets hold the same ids (a no-op selection change must not re-render). */
export function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>) {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** The selected node and note ids that still exist in `doc` (the same set when none was dropped). */
export function pruneSelection(sel: ReadonlySet<string>, doc: Doc): ReadonlySet<string> {
  if (sel.size === 0) return sel;
  const ids = new Set<string>();
  for (const n of doc.nodes) if (sel.has(n.id)) ids.add(n.id);
  for (const n of doc.notes) if (sel.has(n.id)) ids.add(n.id);
  return ids.size === sel.size ? sel : ids;
}

/** The selected edge ids that still exist in `doc` (the same set when none was dropped). */
export function pruneEdgeSelection(sel: ReadonlySet<string>, doc: Doc): ReadonlySet<string> {
  if (sel.size === 0) return sel;
  const ids = new Set<string>();
  for (const e of doc.edges) if (sel.has(e.id)) ids.add(e.id);
  return ids.size === sel.size ? sel : ids;
}
