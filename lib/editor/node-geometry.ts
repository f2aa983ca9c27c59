/**
 * The size of a workflow node and where its handles sit, computed from its ports. The node
 * component uses the same numbers for its layout, and large canvases hand them to React Flow up
 * front so nodes outside the view need not be rendered just to be measured.
 */
import type { NodeHandle } from "@xyflow/react";
import { getInputPorts, getOutputPorts } from "@/lib/workflow";

export const NODE_WIDTH = 220;
/** Header (icon row) height including the 1px borders. */
export const NODE_HEADER_HEIGHT = 58;
export const PORT_ROW_HEIGHT = 24;
/** `top` (CSS, from the padding box) of the centre of labelled output row `i`. */
export const portRowTop = (i: number) => NODE_HEADER_HEIGHT - 2 + 1 + 4 + PORT_ROW_HEIGHT / 2 + i * PORT_ROW_HEIGHT;

const HANDLE = 10;
const TOOLS_BOX = 17; // a 12px square turned 45°

export interface NodeGeometry {
  width: number;
  height: number;
  handles: NodeHandle[];
}

export function nodeGeometry(kind: string, config: Record<string, unknown>, policy?: { onError?: string } | null): NodeGeometry {
  const outputs = getOutputPorts(kind, config, policy);
  const flow = outputs.filter((p) => p.type === "flow");
  const labelled = flow.length > 1;
  const height = labelled ? NODE_HEADER_HEIGHT + 1 + 8 + PORT_ROW_HEIGHT * flow.length : NODE_HEADER_HEIGHT;
  const handles: NodeHandle[] = [];
  for (const p of getInputPorts(kind))
    handles.push({
      id: p.id,
      type: "target",
      position: "left" as NodeHandle["position"],
      x: -HANDLE / 2 + 1,
      y: height / 2 - HANDLE / 2,
      width: HANDLE,
      height: HANDLE,
    });
  flow.forEach((p, i) => {
    const cy = labelled ? 1 + portRowTop(i) : height / 2;
    handles.push({
      id: p.id,
      type: "source",
      position: "right" as NodeHandle["position"],
      x: NODE_WIDTH - 1 + HANDLE / 2 - HANDLE,
      y: cy - HANDLE / 2,
      width: HANDLE,
      height: HANDLE,
    });
  });
  for (const p of outputs.filter((o) => o.type === "tools")) {
    handles.push({
      id: p.id,
      type: "source",
      position: "bottom" as NodeHandle["position"],
      x: NODE_WIDTH / 2 - TOOLS_BOX / 2,
      y: NODE_HEADER_HEIGHT - TOOLS_BOX / 2,
      width: TOOLS_BOX,
      height: TOOLS_BOX,
    });
  }
  return { width: NODE_WIDTH, height, handles };
}

/** The box around every node and note, using measured sizes where known (for "fit view"). */
export function documentBounds(
  doc: {
    nodes: readonly { id: string; kind: string; config: Record<string, unknown>; policy?: { onError?: string } | null; position: { x: number; y: number } }[];
    notes: readonly { position: { x: number; y: number }; width: number; height: number }[];
  },
  measured: ReadonlyMap<string, { width: number; height: number }>,
): { x: number; y: number; width: number; height: number } | null {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  const grow = (x: number, y: number, w: number, h: number) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + w);
    maxY = Math.max(maxY, y + h);
  };
  for (const n of doc.nodes) {
    const m = measured.get(n.id) ?? nodeGeometry(n.kind, n.config, n.policy);
    grow(n.position.x, n.position.y, m.width, m.height);
  }
  for (const n of doc.notes) grow(n.position.x, n.position.y, n.width, n.height);
  return minX === Infinity ? null : { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}
