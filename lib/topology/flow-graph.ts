import { getOutputPorts } from "@/lib/workflow/catalog";
import type { WorkflowDocument, WorkflowEdge, WorkflowNode } from "@/lib/workflow/schema";

/** A flow edge between two vertices of the flow graph (`s`, `t` are vertex indices). */
export interface FlowEdge {
  edge: WorkflowEdge;
  /** Position of the edge in `doc.edges`. */
  docIndex: number;
  s: number;
  t: number;
}

/** An edge from an agent's Tools port: the agent may call the tool; no run flows along it. */
export interface ToolEdge {
  edge: WorkflowEdge;
  docIndex: number;
  agentId: string;
  toolId: string;
}

/**
 * The document's flow structure, indexed for the metrics: vertices are numbered 0…n−1 in document
 * order, neighbour lists are distinct and never contain the vertex itself (self-loops are flagged
 * in `selfLoop`), and `pairEdges` lists, per distinct ordered pair, the document edges that join it.
 */
export interface FlowGraph {
  doc: WorkflowDocument;
  /** Vertex index → node. */
  nodes: WorkflowNode[];
  ids: string[];
  indexOf: Map<string, number>;
  /** Distinct successors / predecessors (no self). */
  out: number[][];
  in: number[][];
  selfLoop: boolean[];
  flowEdges: FlowEdge[];
  toolEdges: ToolEdge[];
  /** Distinct ordered pairs (s, t), s ≠ t, in first-seen order, each with the flow edges that join them. */
  pairs: { s: number; t: number; edges: FlowEdge[] }[];
  /** Nodes left out of the flow graph because they only hang off an agent's Tools port. */
  toolOnlyIds: string[];
  /** Agent id → attached tool ids (document order of the attaching edges). */
  toolsOf: Map<string, string[]>;
  /** Tool id → agents it is attached to. */
  agentsOf: Map<string, string[]>;
}

/**
 * Builds the flow graph of a document.
 *
 * 1. Classify every edge whose ends exist: it is a tool attachment when the output port it leaves
 *    from (its `sourceHandle`, else the source kind's first output) has type "tools" (an Agent's
 *    Tools port); every other edge — unknown kinds and ports included — is a flow edge.
 * 2. Vertices are all nodes except "tool-only" nodes: nodes with at least one tool attachment into
 *    them and no flow edge at all. A tool that is also wired as a step stays a vertex.
 * 3. Index vertices in document order; collapse flow edges to distinct ordered pairs (keeping the
 *    document edges of each pair), flag self-loops, and build distinct in/out neighbour lists.
 */
export function buildFlowGraph(doc: WorkflowDocument): FlowGraph {
  const nodeById = new Map<string, WorkflowNode>();
  for (const n of doc.nodes) nodeById.set(n.id, n);
  const toolPortsCache = new Map<string, { first: string | undefined; tools: Set<string> }>();
  const portsOf = (node: WorkflowNode) => {
    let p = toolPortsCache.get(node.id);
    if (!p) {
      const ports = getOutputPorts(node.kind, node.config, node.policy);
      p = { first: ports[0]?.id, tools: new Set(ports.filter((x) => x.type === "tools").map((x) => x.id)) };
      toolPortsCache.set(node.id, p);
    }
    return p;
  };

  // 1. Classify.
  const flowDoc: { edge: WorkflowEdge; docIndex: number }[] = [];
  const toolEdges: ToolEdge[] = [];
  const hasFlow = new Set<string>();
  const hasToolIn = new Set<string>();
  doc.edges.forEach((edge, docIndex) => {
    const source = nodeById.get(edge.source);
    if (!source || !nodeById.has(edge.target)) return;
    const ports = portsOf(source);
    const handle = edge.sourceHandle ?? ports.first;
    if (handle !== undefined && ports.tools.has(handle)) {
      toolEdges.push({ edge, docIndex, agentId: edge.source, toolId: edge.target });
      hasToolIn.add(edge.target);
    } else {
      flowDoc.push({ edge, docIndex });
      hasFlow.add(edge.source);
      hasFlow.add(edge.target);
    }
  });

  // 2. Vertices.
  const nodes: WorkflowNode[] = [];
  const toolOnlyIds: string[] = [];
  for (const n of doc.nodes) {
    if (hasToolIn.has(n.id) && !hasFlow.has(n.id)) toolOnlyIds.push(n.id);
    else nodes.push(n);
  }

  // 3. Index.
  const ids = nodes.map((n) => n.id);
  const indexOf = new Map<string, number>();
  ids.forEach((id, i) => indexOf.set(id, i));
  const out: number[][] = ids.map(() => []);
  const inn: number[][] = ids.map(() => []);
  const selfLoop: boolean[] = ids.map(() => false);
  const pairIndex = new Map<number, number>();
  const pairs: FlowGraph["pairs"] = [];
  const flowEdges: FlowEdge[] = [];
  const n = ids.length;
  for (const { edge, docIndex } of flowDoc) {
    const s = indexOf.get(edge.source)!;
    const t = indexOf.get(edge.target)!;
    const fe: FlowEdge = { edge, docIndex, s, t };
    flowEdges.push(fe);
    if (s === t) {
      selfLoop[s] = true;
      continue;
    }
    const key = s * n + t;
    const pi = pairIndex.get(key);
    if (pi !== undefined) {
      pairs[pi].edges.push(fe);
      continue;
    }
    pairIndex.set(key, pairs.length);
    pairs.push({ s, t, edges: [fe] });
    out[s].push(t);
    inn[t].push(s);
  }

  const toolsOf = new Map<string, string[]>();
  const agentsOf = new Map<string, string[]>();
  for (const te of toolEdges) {
    const tools = toolsOf.get(te.agentId) ?? [];
    if (!tools.includes(te.toolId)) tools.push(te.toolId);
    toolsOf.set(te.agentId, tools);
    const agents = agentsOf.get(te.toolId) ?? [];
    if (!agents.includes(te.agentId)) agents.push(te.agentId);
    agentsOf.set(te.toolId, agents);
  }
  return { doc, nodes, ids, indexOf, out, in: inn, selfLoop, flowEdges, toolEdges, pairs, toolOnlyIds, toolsOf, agentsOf };
}
