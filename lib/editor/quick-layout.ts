/**
 * A fast layered layout for large workflows, where ELK's layered algorithm takes seconds (long
 * edges become thousands of dummy nodes). Linear in nodes + edges:
 * 1. Depth-first from the roots (Start first) marks back edges, so loops do not break layering.
 * 2. Each node's layer is the longest path to it over the remaining edges (topological order).
 * 3. Within a layer nodes are ordered by the mean order of their predecessors (one sweep).
 * 4. Layers become columns (left-to-right) or rows (top-down), packed with fixed gaps.
 */
import type { Position, WorkflowDocument } from "@/lib/workflow";
import { DEFAULT_NODE_SIZE, type LayoutDirection } from "./layout";

const LAYER_GAP = 80;
const NODE_GAP = 40;

export function quickLayeredPositions(
  doc: WorkflowDocument,
  direction: LayoutDirection,
  sizes: ReadonlyMap<string, { width: number; height: number }> = new Map(),
): Map<string, Position> {
  const ids = doc.nodes.map((n) => n.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const out: number[][] = ids.map(() => []);
  for (const e of doc.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s !== undefined && t !== undefined && s !== t) out[s].push(t);
  }

  // 1. Back edges by iterative DFS (Start nodes first, then the rest in document order).
  const state = new Uint8Array(ids.length); // 0 new, 1 on stack, 2 done
  const forward: number[][] = ids.map(() => []);
  const roots = [...doc.nodes.map((n, i) => (n.kind === "start" ? i : -1)).filter((i) => i >= 0), ...ids.map((_, i) => i)];
  for (const root of roots) {
    if (state[root]) continue;
    const stack: { v: number; next: number }[] = [{ v: root, next: 0 }];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < out[top.v].length) {
        const w = out[top.v][top.next++];
        if (state[w] === 1) continue; // back edge: ignored for layering
        forward[top.v].push(w);
        if (state[w] === 0) {
          state[w] = 1;
          stack.push({ v: w, next: 0 });
        }
      } else {
        state[top.v] = 2;
        stack.pop();
      }
    }
  }

  // 2. Longest-path layers in topological order (Kahn).
  const indeg = new Int32Array(ids.length);
  for (const list of forward) for (const w of list) indeg[w]++;
  const layer = new Int32Array(ids.length);
  const queue: number[] = [];
  for (let i = 0; i < ids.length; i++) if (indeg[i] === 0) queue.push(i);
  const preds: number[][] = ids.map(() => []);
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi];
    for (const w of forward[v]) {
      preds[w].push(v);
      layer[w] = Math.max(layer[w], layer[v] + 1);
      if (--indeg[w] === 0) queue.push(w);
    }
  }

  // 3. Order within layers by the barycentre of predecessors.
  const layers: number[][] = [];
  for (let i = 0; i < ids.length; i++) (layers[layer[i]] ??= []).push(i);
  const order = new Float64Array(ids.length);
  for (const l of layers) {
    if (!l) continue;
    const key = l.map((v) => (preds[v].length ? preds[v].reduce((a, p) => a + order[p], 0) / preds[v].length : v));
    const sorted = l.map((v, i) => [v, key[i]] as const).sort((a, b) => a[1] - b[1]);
    sorted.forEach(([v], i) => (order[v] = i));
    l.splice(0, l.length, ...sorted.map(([v]) => v));
  }

  // 4. Pack.
  const size = (i: number) => sizes.get(ids[i]) ?? DEFAULT_NODE_SIZE;
  const minX = Math.min(...doc.nodes.map((n) => n.position.x));
  const minY = Math.min(...doc.nodes.map((n) => n.position.y));
  const positions = new Map<string, Position>();
  let along = 0;
  for (const l of layers) {
    if (!l) continue;
    let across = 0;
    let thickness = 0;
    for (const v of l) {
      const s = size(v);
      const [main, cross] = direction === "RIGHT" ? [s.width, s.height] : [s.height, s.width];
      positions.set(ids[v], direction === "RIGHT" ? { x: minX + along, y: minY + across } : { x: minX + across, y: minY + along });
      across += cross + NODE_GAP;
      thickness = Math.max(thickness, main);
    }
    along += thickness + LAYER_GAP;
  }
  return positions;
}
