/**
 * The compare view's graph: both documents of a diff drawn as one. Nodes and edges of the newer
 * (`to`) document at their `to` positions, marked added / changed / moved / same; the ones only in
 * the older (`from`) document drawn as ghosts at their old positions, marked removed. Pure.
 */
import type { Edge, Node } from "@xyflow/react";
import { getInputPorts, getOutputPorts, type NodePolicy, type WorkflowDiff, type WorkflowDocument, type WorkflowEdge, type WorkflowNode } from "@/lib/workflow";

export type CompareStatus = "added" | "removed" | "changed" | "moved" | "same";

export interface CompareNodeData extends Record<string, unknown> {
  kind: string;
  label: string;
  config: Record<string, unknown>;
  policy?: NodePolicy;
  status: CompareStatus;
  /** How many fields changed (0 unless changed or moved). */
  changeCount: number;
}
/** Where a moved node stood in the older document: a faint outline, so the move is visible. */
export interface OriginNodeData extends Record<string, unknown> {
  label: string;
  /** The id of the node that moved. */
  of: string;
}
export interface CompareEdgeData extends Record<string, unknown> {
  status: Exclude<CompareStatus, "moved">;
}
export type CompareFlowNode = Node<CompareNodeData, "compare"> | Node<OriginNodeData, "origin">;
/** The suffix of an origin outline's id (node ids cannot contain "~", so it never clashes). */
export const ORIGIN_SUFFIX = "~before";
export type CompareFlowEdge = Edge<CompareEdgeData>;

function toFlowNode(n: WorkflowNode, status: CompareStatus, changeCount: number): Node<CompareNodeData, "compare"> {
  return {
    id: n.id,
    type: "compare",
    position: n.position,
    // Ghosts sit under the live graph so a node added where one was removed stays readable.
    zIndex: status === "removed" ? -1 : 0,
    data: { kind: n.kind, label: n.label, config: n.config, policy: n.policy, status, changeCount },
  };
}

/** A handle the drawn node really has, else undefined (its default port): a removed edge may name a port the node lost. */
function existingHandle(node: Node<CompareNodeData, "compare"> | undefined, handle: string | null | undefined, side: "source" | "target"): string | undefined {
  if (!handle || !node) return undefined;
  const { kind, config, policy } = node.data;
  const ports = side === "source" ? getOutputPorts(kind, config, policy) : getInputPorts(kind);
  return ports.some((p) => p.id === handle) ? handle : undefined;
}

function toFlowEdge(e: WorkflowEdge, status: CompareEdgeData["status"], nodes: ReadonlyMap<string, Node<CompareNodeData, "compare">>): CompareFlowEdge {
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    sourceHandle: existingHandle(nodes.get(e.source), e.sourceHandle, "source"),
    targetHandle: existingHandle(nodes.get(e.target), e.targetHandle, "target"),
    className: `aura-compare-edge aura-compare-edge-${status}`,
    zIndex: status === "removed" ? -1 : 0,
    data: { status },
  };
}

/** Both documents of `diff` (which must be `diffWorkflows(from, to)`) as one React Flow graph. */
export function compareElements(from: WorkflowDocument, to: WorkflowDocument, diff: WorkflowDiff): { nodes: CompareFlowNode[]; edges: CompareFlowEdge[] } {
  const added = new Set(diff.nodes.added.map((n) => n.id));
  const changed = new Map(diff.nodes.changed.map((n) => [n.id, n]));
  const removed = new Set(diff.nodes.removed.map((n) => n.id));

  const nodes: Node<CompareNodeData, "compare">[] = [];
  const origins: Node<OriginNodeData, "origin">[] = [];
  for (const n of from.nodes) {
    if (removed.has(n.id)) nodes.push(toFlowNode(n, "removed", 0));
    else if (changed.get(n.id)?.changes.some((c) => c.field === "position")) {
      origins.push({ id: `${n.id}${ORIGIN_SUFFIX}`, type: "origin", position: n.position, zIndex: -2, data: { label: n.label, of: n.id } });
    }
  }
  for (const n of to.nodes) {
    const c = changed.get(n.id);
    nodes.push(toFlowNode(n, added.has(n.id) ? "added" : c ? (c.movedOnly ? "moved" : "changed") : "same", c?.changes.length ?? 0));
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));

  const addedEdges = new Set(diff.edges.added.map((e) => e.id));
  const changedEdges = new Set(diff.edges.changed.map((e) => e.id));
  const removedEdges = new Set(diff.edges.removed.map((e) => e.id));
  const edges: CompareFlowEdge[] = [];
  for (const e of from.edges) if (removedEdges.has(e.id)) edges.push(toFlowEdge(e, "removed", byId));
  for (const e of to.edges) edges.push(toFlowEdge(e, addedEdges.has(e.id) ? "added" : changedEdges.has(e.id) ? "changed" : "same", byId));
  // An edge whose end is in neither document would make React Flow warn; a parsed document has none, but be safe.
  return { nodes: [...origins, ...nodes], edges: edges.filter((e) => byId.has(e.source) && byId.has(e.target)) };
}
