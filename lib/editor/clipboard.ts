/**
 * Copy/paste of a selection as a JSON payload with a marker, so pasting works across editors,
 * tabs and workflows (through the system clipboard) and foreign text is ignored.
 */
import type { StickyNote, WorkflowEdge, WorkflowNode } from "@/lib/workflow";
import type { Doc } from "./document-ops";
import { takenIds, uniqueId } from "./ids";

export const CLIPBOARD_MARKER = "aura-studio/clipboard@1";

export interface ClipboardPayload {
  marker: typeof CLIPBOARD_MARKER;
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  notes: StickyNote[];
}

/** The selected nodes and notes with the edges between them (edges to unselected nodes are left out). */
export function copySelection(doc: Doc, ids: ReadonlySet<string>): ClipboardPayload | null {
  const nodes = doc.nodes.filter((n) => ids.has(n.id));
  const notes = doc.notes.filter((n) => ids.has(n.id));
  if (!nodes.length && !notes.length) return null;
  const nodeIds = new Set(nodes.map((n) => n.id));
  const edges = doc.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target));
  return structuredClone({ marker: CLIPBOARD_MARKER, nodes, edges, notes });
}

/** Reads a payload from clipboard text; null for anything that is not ours. */
export function parseClipboard(text: string | null | undefined): ClipboardPayload | null {
  if (!text || !text.includes(CLIPBOARD_MARKER)) return null;
  try {
    const v = JSON.parse(text) as Partial<ClipboardPayload>;
    if (v?.marker !== CLIPBOARD_MARKER || !Array.isArray(v.nodes) || !Array.isArray(v.edges) || !Array.isArray(v.notes)) return null;
    const okPos = (p: unknown) => typeof p === "object" && p !== null && Number.isFinite((p as { x: unknown }).x) && Number.isFinite((p as { y: unknown }).y);
    const nodes = v.nodes
      .filter((n) => typeof n?.id === "string" && typeof n.kind === "string" && okPos(n.position))
      .map((n) => ({ ...n, label: String(n.label ?? n.kind).slice(0, 200), config: n.config && typeof n.config === "object" ? n.config : {} }));
    const notes = v.notes.filter((n) => typeof n?.id === "string" && okPos(n.position)).map((n) => ({ ...n, text: String(n.text ?? "").slice(0, 10_000) }));
    const edges = v.edges.filter((e) => typeof e?.id === "string" && typeof e.source === "string" && typeof e.target === "string");
    return { marker: CLIPBOARD_MARKER, nodes, edges, notes };
  } catch {
    return null;
  }
}

/**
 * Pastes a payload: ids that clash with the document are renamed (edges follow), everything is
 * shifted by `offset`, and the new ids are returned so the editor can select them.
 */
export function pastePayload(doc: Doc, payload: ClipboardPayload, offset: { x: number; y: number }): { doc: Doc; ids: string[] } {
  const taken = takenIds(doc);
  const rename = new Map<string, string>();
  const claim = (id: string) => {
    const next = uniqueId(id, taken);
    taken.add(next);
    rename.set(id, next);
    return next;
  };
  const shift = (p: { x: number; y: number }) => ({ x: Math.round(p.x + offset.x), y: Math.round(p.y + offset.y) });
  const nodes = payload.nodes.map((n) => ({ ...structuredClone(n), id: claim(n.id), position: shift(n.position) }));
  const notes = payload.notes.map((n) => ({ ...structuredClone(n), id: claim(n.id), position: shift(n.position) }));
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const edges: WorkflowEdge[] = [];
  for (const e of payload.edges) {
    const source = rename.get(e.source);
    const target = rename.get(e.target);
    if (!source || !target) continue;
    const id = uniqueId(e.id, edgeIds);
    edgeIds.add(id);
    edges.push({ ...e, id, source, target });
  }
  return {
    doc: { ...doc, nodes: [...doc.nodes, ...nodes], notes: [...doc.notes, ...notes], edges: [...doc.edges, ...edges] },
    ids: [...nodes.map((n) => n.id), ...notes.map((n) => n.id)],
  };
}
