/**
 * Document → React Flow nodes and edges, memoised per element: an unchanged document node (same
 * object, same selection, same measured size) gives back the very same React Flow node, so a drag
 * or an edit re-renders one node, not a thousand. Node `data` keeps its identity across moves.
 */
import type { Edge, Node } from "@xyflow/react";
import { nodeGeometry } from "./node-geometry";
import { getOutputPorts, type NodePolicy, type StickyNote, type WorkflowDocument, type WorkflowEdge, type WorkflowNode } from "@/lib/workflow";

export interface WorkflowNodeData extends Record<string, unknown> {
  kind: string;
  label: string;
  config: Record<string, unknown>;
  policy?: NodePolicy;
}
export interface NoteNodeData extends Record<string, unknown> {
  text: string;
  color: StickyNote["color"];
}
export type WorkflowFlowNode = Node<WorkflowNodeData, "workflow">;
export type NoteFlowNode = Node<NoteNodeData, "note">;
export type FlowNode = WorkflowFlowNode | NoteFlowNode;
export interface EdgeData extends Record<string, unknown> {
  tools: boolean;
  invalid: boolean;
  /** The document's own sourceHandle (undefined: the node's default output), what a run's finish port is matched against. */
  sourcePort?: string;
}
export type FlowEdge = Edge<EdgeData>;

export interface Size {
  width: number;
  height: number;
}

interface NodeEntry {
  src: WorkflowNode | StickyNote;
  selected: boolean;
  measured: Size | undefined;
  flow: FlowNode;
}
interface EdgeEntry {
  src: WorkflowEdge;
  selected: boolean;
  invalid: boolean;
  sourceHandle: string | undefined;
  flow: FlowEdge;
}

export interface MapperOptions {
  /**
   * Give React Flow each unmeasured node's size and handles up front. With onlyRenderVisibleElements
   * React Flow otherwise renders every node once just to measure it (1,000 nodes on open).
   */
  precomputeGeometry?: boolean;
}

/** One per editor: keeps the previous output to reuse unchanged elements. */
export function createFlowMapper(options: MapperOptions = {}) {
  let nodeCache = new Map<string, NodeEntry>();
  let edgeCache = new Map<string, EdgeEntry>();
  let dataCache = new Map<string, WorkflowNodeData>();
  let lastNodes: FlowNode[] = [];
  let lastEdges: FlowEdge[] = [];

  function nodeData(n: WorkflowNode): WorkflowNodeData {
    const prev = dataCache.get(n.id);
    if (prev && prev.kind === n.kind && prev.label === n.label && prev.config === n.config && prev.policy === n.policy) return prev;
    return { kind: n.kind, label: n.label, config: n.config, policy: n.policy };
  }

  function mapNodes(doc: WorkflowDocument, selected: ReadonlySet<string>, measured: ReadonlyMap<string, Size>): FlowNode[] {
    const nextCache = new Map<string, NodeEntry>();
    const nextData = new Map<string, WorkflowNodeData>();
    const out: FlowNode[] = [];
    let same = lastNodes.length === doc.notes.length + doc.nodes.length;
    // Notes first so they sit under the nodes.
    doc.notes.forEach((note) => {
      const sel = selected.has(note.id);
      const m = measured.get(note.id);
      const prev = nodeCache.get(note.id);
      let flow: FlowNode;
      if (prev && prev.src === note && prev.selected === sel && prev.measured === m) flow = prev.flow;
      else {
        flow = {
          id: note.id,
          type: "note",
          position: note.position,
          width: note.width,
          height: note.height,
          zIndex: -1,
          selected: sel,
          data:
            prev && (prev.flow.data as NoteNodeData).text === note.text && (prev.flow.data as NoteNodeData).color === note.color
              ? (prev.flow.data as NoteNodeData)
              : { text: note.text, color: note.color },
          ...(m ? { measured: m } : {}),
        };
      }
      nextCache.set(note.id, { src: note, selected: sel, measured: m, flow });
      if (same && lastNodes[out.length] !== flow) same = false;
      out.push(flow);
    });
    for (const n of doc.nodes) {
      const sel = selected.has(n.id);
      const m = measured.get(n.id);
      const prev = nodeCache.get(n.id);
      const data = nodeData(n);
      nextData.set(n.id, data);
      let flow: FlowNode;
      if (prev && prev.src === n && prev.selected === sel && prev.measured === m) flow = prev.flow;
      else {
        flow = { id: n.id, type: "workflow", position: n.position, selected: sel, data, ...(m ? { measured: m } : {}) };
        if (!m && options.precomputeGeometry) {
          const g = nodeGeometry(n.kind, n.config, n.policy);
          flow.initialWidth = g.width;
          flow.initialHeight = g.height;
          flow.handles = g.handles;
        }
      }
      nextCache.set(n.id, { src: n, selected: sel, measured: m, flow });
      if (same && lastNodes[out.length] !== flow) same = false;
      out.push(flow);
    }
    nodeCache = nextCache;
    dataCache = nextData;
    if (same) return lastNodes;
    lastNodes = out;
    return out;
  }

  function mapEdges(doc: WorkflowDocument, selected: ReadonlySet<string>, invalidEdges: ReadonlySet<string>): FlowEdge[] {
    const byId = new Map<string, WorkflowNode>();
    for (const n of doc.nodes) byId.set(n.id, n);
    const nextCache = new Map<string, EdgeEntry>();
    const out: FlowEdge[] = [];
    let same = lastEdges.length === doc.edges.length;
    for (const e of doc.edges) {
      const sel = selected.has(e.id);
      const invalid = invalidEdges.has(e.id);
      const source = byId.get(e.source);
      const sourceHandle = e.sourceHandle ?? (source ? getOutputPorts(source.kind, source.config, source.policy)[0]?.id : undefined);
      const prev = edgeCache.get(e.id);
      let flow: FlowEdge;
      if (prev && prev.src === e && prev.selected === sel && prev.invalid === invalid && prev.sourceHandle === sourceHandle) flow = prev.flow;
      else {
        const tools = sourceHandle === "tools";
        flow = {
          id: e.id,
          source: e.source,
          target: e.target,
          sourceHandle: sourceHandle ?? null,
          targetHandle: e.targetHandle ?? "in",
          selected: sel,
          label: e.label,
          className: [tools ? "edge-tools" : "", invalid ? "edge-invalid" : ""].filter(Boolean).join(" ") || undefined,
          data: { tools, invalid, sourcePort: e.sourceHandle ?? undefined },
        };
      }
      nextCache.set(e.id, { src: e, selected: sel, invalid, sourceHandle, flow });
      if (same && lastEdges[out.length] !== flow) same = false;
      out.push(flow);
    }
    edgeCache = nextCache;
    if (same) return lastEdges;
    lastEdges = out;
    return out;
  }

  return { mapNodes, mapEdges };
}
