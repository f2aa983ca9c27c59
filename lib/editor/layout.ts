/**
 * Auto-layout with ELK (layered). Building the ELK graph and applying its result are pure; running
 * ELK happens in a Web Worker when the browser has one (see layout-runner.ts), else in this thread.
 */
import type { ElkNode, LayoutOptions } from "elkjs/lib/elk-api";
import type { Position, WorkflowDocument } from "@/lib/workflow";

export type LayoutDirection = "RIGHT" | "DOWN";

export const DEFAULT_NODE_SIZE = { width: 220, height: 64 };

/** The ELK graph of a document's nodes and edges; `sizes` are measured node sizes where known. */
export function toElkGraph(
  doc: WorkflowDocument,
  direction: LayoutDirection,
  sizes: ReadonlyMap<string, { width: number; height: number }> = new Map(),
): ElkNode {
  const ids = new Set(doc.nodes.map((n) => n.id));
  const layoutOptions: LayoutOptions = {
    "elk.algorithm": "layered",
    "elk.direction": direction,
    "elk.spacing.nodeNode": "40",
    "elk.layered.spacing.nodeNodeBetweenLayers": "80",
    "elk.layered.spacing.edgeNodeBetweenLayers": "30",
    "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    "elk.layered.cycleBreaking.strategy": "DEPTH_FIRST",
    "elk.separateConnectedComponents": "true",
    "elk.spacing.componentComponent": "80",
  };
  return {
    id: "root",
    layoutOptions,
    children: doc.nodes.map((n) => ({ id: n.id, ...(sizes.get(n.id) ?? DEFAULT_NODE_SIZE) })),
    edges: doc.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
}

/** Node positions from ELK's answer, shifted so the layout keeps the old top-left corner. */
export function positionsFromElk(doc: WorkflowDocument, result: ElkNode): Map<string, Position> {
  const out = new Map<string, Position>();
  if (!doc.nodes.length) return out;
  const minX = Math.min(...doc.nodes.map((n) => n.position.x));
  const minY = Math.min(...doc.nodes.map((n) => n.position.y));
  for (const c of result.children ?? []) out.set(c.id, { x: Math.round((c.x ?? 0) + minX), y: Math.round((c.y ?? 0) + minY) });
  return out;
}
