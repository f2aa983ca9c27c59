import { getNodeKind, getOutputPorts } from "@/lib/workflow/catalog";
import type { WorkflowDocument, WorkflowEdge, WorkflowNode } from "@/lib/workflow/schema";

/** Small pure helpers the fixes share: ids, labels, flow edges, node replacement. */

/** A fresh id from `wanted` that no node, note or edge uses (`join`, `join-2`, …). */
export function freshId(doc: WorkflowDocument, wanted: string, extra: ReadonlySet<string> = new Set()): string {
  const taken = new Set<string>([...doc.nodes.map((n) => n.id), ...doc.notes.map((n) => n.id), ...doc.edges.map((e) => e.id), ...extra]);
  const clean = wanted.replace(/[^A-Za-z0-9_.:-]/g, "-").slice(0, 100) || "node";
  if (!taken.has(clean)) return clean;
  for (let n = 2; ; n++) if (!taken.has(`${clean}-${n}`)) return `${clean}-${n}`;
}

/** A label no other node has (`Join`, `Join 2`, …). */
export function freshLabel(doc: WorkflowDocument, label: string): string {
  const used = new Set(doc.nodes.map((n) => n.label));
  if (!used.has(label)) return label;
  for (let n = 2; ; n++) if (!used.has(`${label} ${n}`)) return `${label} ${n}`;
}

/** The output port an edge leaves from (its handle, else the source kind's first output). */
export function edgePort(doc: WorkflowDocument, edge: WorkflowEdge): string | undefined {
  const source = doc.nodes.find((n) => n.id === edge.source);
  if (!source) return undefined;
  return edge.sourceHandle ?? getOutputPorts(source.kind, source.config, source.policy)[0]?.id;
}

/** True when the edge carries the run (not a tool attachment to an Agent's Tools port). */
export function isFlowEdge(doc: WorkflowDocument, edge: WorkflowEdge): boolean {
  const source = doc.nodes.find((n) => n.id === edge.source);
  if (!source) return false;
  const port = getOutputPorts(source.kind, source.config, source.policy).find((p) => p.id === edgePort(doc, edge));
  return port?.type !== "tools";
}

export const flowIn = (doc: WorkflowDocument, id: string) => doc.edges.filter((e) => e.target === id && isFlowEdge(doc, e));
export const flowOut = (doc: WorkflowDocument, id: string) => doc.edges.filter((e) => e.source === id && isFlowEdge(doc, e));

/** The document with node `id` replaced by `fn(node)` (same object when `fn` returns the node itself). */
export function updateNode(doc: WorkflowDocument, id: string, fn: (n: WorkflowNode) => WorkflowNode): WorkflowDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    const next = fn(n);
    if (next !== n) changed = true;
    return next;
  });
  return changed ? { ...doc, nodes } : doc;
}

/** A node of `kind` with the catalog's default config merged with `config`. */
export function newNode(kind: string, id: string, label: string, position: { x: number; y: number }, config: Record<string, unknown>): WorkflowNode {
  const def = getNodeKind(kind);
  return {
    id,
    kind,
    label,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    config: { ...(def ? structuredClone(def.defaultConfig) : {}), ...config },
  };
}

/** `"Label"` for sentences. */
export const named = (n: WorkflowNode) => `"${n.label || n.id}"`;
