/**
 * Pure edits of a workflow document (doc → doc). The editor store calls these and nothing else to
 * change the document, so undo/redo is a list of documents. Every function returns the same object
 * when nothing changes, and reuses unchanged nodes/edges so memoised views skip them.
 */
import {
  defaultConfigOf,
  getNodeKind,
  getOutputPorts,
  getInputPorts,
  type NodePin,
  type NodePolicy,
  type Position,
  type StickyNote,
  type WorkflowDocument,
  type WorkflowEdge,
  type WorkflowNode,
  type WorkflowSettings,
} from "@/lib/workflow";
import { takenIds, uniqueId } from "./ids";

export type Doc = WorkflowDocument;

/** Adds a node of `kind` at `position` with the kind's default config; returns the new id too. */
export function addNode(doc: Doc, kind: string, position: Position, id?: string): { doc: Doc; id: string } {
  const def = getNodeKind(kind);
  const newId = uniqueId(id ?? kind, takenIds(doc));
  const node: WorkflowNode = {
    id: newId,
    kind,
    label: uniqueLabel(def?.label ?? kind, doc.nodes),
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    config: defaultConfigOf(kind),
  };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id: newId };
}

function uniqueLabel(label: string, nodes: readonly WorkflowNode[]): string {
  const used = new Set(nodes.map((n) => n.label));
  if (!used.has(label)) return label;
  for (let n = 2; ; n++) if (!used.has(`${label} ${n}`)) return `${label} ${n}`;
}

/** Moves nodes and notes to new positions (ids missing from the doc are ignored). */
export function moveElements(doc: Doc, positions: ReadonlyMap<string, Position>): Doc {
  if (positions.size === 0) return doc;
  let changed = false;
  const move = <T extends { id: string; position: Position }>(item: T): T => {
    const p = positions.get(item.id);
    if (!p || (p.x === item.position.x && p.y === item.position.y)) return item;
    changed = true;
    return { ...item, position: { x: p.x, y: p.y } };
  };
  const nodes = doc.nodes.map(move);
  const notes = doc.notes.map(move);
  return changed ? { ...doc, nodes, notes } : doc;
}

/** Removes nodes, notes and edges; edges touching a removed node go too, and so do its pinned output. */
export function deleteElements(doc: Doc, ids: { nodes?: Iterable<string>; edges?: Iterable<string>; notes?: Iterable<string> }): Doc {
  const nodeIds = new Set(ids.nodes ?? []);
  const edgeIds = new Set(ids.edges ?? []);
  const noteIds = new Set(ids.notes ?? []);
  const nodes = doc.nodes.filter((n) => !nodeIds.has(n.id));
  const notes = doc.notes.filter((n) => !noteIds.has(n.id));
  const edges = doc.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target));
  if (nodes.length === doc.nodes.length && notes.length === doc.notes.length && edges.length === doc.edges.length) return doc;
  const pinned = Object.keys(doc.pins).filter((id) => nodeIds.has(id));
  return { ...doc, nodes, notes, edges, ...(pinned.length ? { pins: withoutKeys(doc.pins, pinned) } : {}) };
}

function withoutKeys<T>(record: Record<string, T>, keys: readonly string[]): Record<string, T> {
  const out = { ...record };
  for (const k of keys) delete out[k];
  return out;
}

/**
 * Pins a node's output: runs started from the editor skip the node and write `pin.output` instead.
 * Checking size and JSON is the caller's job (parse refuses oversized pins with their path).
 */
export function setPin(doc: Doc, nodeId: string, pin: NodePin): Doc {
  if (doc.pins[nodeId] === pin || !doc.nodes.some((n) => n.id === nodeId)) return doc;
  return { ...doc, pins: { ...doc.pins, [nodeId]: pin } };
}

/** Unpins a node's output: the node executes again. */
export function removePin(doc: Doc, nodeId: string): Doc {
  return nodeId in doc.pins ? { ...doc, pins: withoutKeys(doc.pins, [nodeId]) } : doc;
}

export interface ConnectParams {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

/** Why a connection is refused, or null when it is fine. */
export function connectionProblem(doc: Doc, c: ConnectParams): string | null {
  if (c.source === c.target) return "A node cannot connect to itself.";
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target) return "Both ends must be nodes.";
  if (getInputPorts(target.kind).length === 0) return `${target.label} takes no input.`;
  const handle = c.sourceHandle ?? getOutputPorts(source.kind, source.config, source.policy)[0]?.id;
  const port = getOutputPorts(source.kind, source.config, source.policy).find((p) => p.id === handle);
  if (!port) return `${source.label} has no output "${handle ?? ""}".`;
  if (port.type === "tools" && getNodeKind(target.kind)?.category !== "Tools") return "Only tool nodes can be attached to an agent's Tools port.";
  const dup = doc.edges.some((e) => e.source === c.source && e.target === c.target && (e.sourceHandle ?? handle) === handle);
  if (dup) return "These nodes are already connected.";
  return null;
}

/** Adds an edge between two nodes; unchanged doc when the connection is refused. */
export function connect(doc: Doc, c: ConnectParams): Doc {
  if (connectionProblem(doc, c)) return doc;
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const handlePart = c.sourceHandle ? `-${c.sourceHandle.replace(/[^A-Za-z0-9_.-]/g, "_")}` : "";
  const edge: WorkflowEdge = {
    id: uniqueId(`e-${c.source}${handlePart}-${c.target}`, edgeIds),
    source: c.source,
    target: c.target,
    ...(c.sourceHandle ? { sourceHandle: c.sourceHandle } : {}),
    ...(c.targetHandle && c.targetHandle !== "in" ? { targetHandle: c.targetHandle } : {}),
  };
  return { ...doc, edges: [...doc.edges, edge] };
}

function updateNode(doc: Doc, id: string, fn: (n: WorkflowNode) => WorkflowNode): Doc {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    const next = fn(n);
    if (next !== n) changed = true;
    return next;
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Renames a node (labels are plain text; length is capped at the schema's 200). */
export function setNodeLabel(doc: Doc, id: string, label: string): Doc {
  const clean = label.slice(0, 200);
  return updateNode(doc, id, (n) => (n.label === clean ? n : { ...n, label: clean }));
}

/**
 * Replaces a node's config. When a Router's routes are renamed or removed, edges from outputs that
 * no longer exist are dropped with it, so the canvas never shows edges hanging from nothing.
 */
export function setNodeConfig(doc: Doc, id: string, config: Record<string, unknown>): Doc {
  const next = updateNode(doc, id, (n) => (n.config === config ? n : { ...n, config }));
  return next === doc ? doc : dropEdgesFromMissingPorts(next, id);
}

/** Edges that leave from an output the node no longer has (a removed route, an error port turned off) go too. */
function dropEdgesFromMissingPorts(doc: Doc, id: string): Doc {
  const node = doc.nodes.find((n) => n.id === id)!;
  const ports = new Set(getOutputPorts(node.kind, node.config, node.policy).map((p) => p.id));
  const edges = doc.edges.filter((e) => e.source !== id || !e.sourceHandle || ports.has(e.sourceHandle));
  return edges.length === doc.edges.length ? doc : { ...doc, edges };
}

/** Sets or clears (undefined) a node's retry/timeout/error policy. */
export function setNodePolicy(doc: Doc, id: string, policy: NodePolicy | undefined): Doc {
  const next = updateNode(doc, id, (n) => {
    if (n.policy === policy) return n;
    const { policy: _old, ...rest } = n;
    return policy ? { ...rest, policy } : rest;
  });
  return next === doc ? doc : dropEdgesFromMissingPorts(next, id);
}

/** Workflow-level fields: name, description, settings. */
export function setWorkflowFields(doc: Doc, fields: Partial<Pick<Doc, "name" | "description">> & { settings?: WorkflowSettings }): Doc {
  const changed = (Object.keys(fields) as (keyof typeof fields)[]).some((k) => fields[k] !== undefined && fields[k] !== doc[k]);
  return changed ? { ...doc, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) } : doc;
}

/** Adds a sticky note; returns its id too. */
export function addNote(doc: Doc, position: Position, text = ""): { doc: Doc; id: string } {
  const id = uniqueId("note", takenIds(doc));
  const note: StickyNote = { id, text, position: { x: Math.round(position.x), y: Math.round(position.y) }, width: 220, height: 140, color: "yellow" };
  return { doc: { ...doc, notes: [...doc.notes, note] }, id };
}

/** Changes a note's text, size or colour. */
export function updateNote(doc: Doc, id: string, patch: Partial<Omit<StickyNote, "id">>): Doc {
  let changed = false;
  const notes = doc.notes.map((n) => {
    if (n.id !== id) return n;
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    if (keys.every((k) => JSON.stringify(patch[k]) === JSON.stringify(n[k]))) return n;
    changed = true;
    const next = { ...n, ...patch };
    next.width = Math.max(40, Math.min(4000, Math.round(next.width)));
    next.height = Math.max(40, Math.min(4000, Math.round(next.height)));
    return next;
  });
  return changed ? { ...doc, notes } : doc;
}
