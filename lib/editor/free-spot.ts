import { defaultConfigOf, type Position } from "@/lib/workflow";
import { nodeGeometry, type NodeGeometry } from "./node-geometry";

type Rect = { x: number; y: number; width: number; height: number };
type SizedNode = { id: string; kind: string; config: Record<string, unknown>; policy?: { onError?: string } | null; position: Position };

/** Space kept clear around a new node, so cards never touch and their handles stay reachable. */
export const FREE_SPOT_GAP = 20;
const STEP = 20;
const MAX_RINGS = 150;

const overlaps = (a: Rect, b: Rect, gap: number) =>
  a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;

/**
 * Where a new node of `kind` goes when it is dropped at `wanted`: there, when it overlaps no other
 * node; otherwise the nearest spot (searched in square rings of 20 px, nearest first within a ring)
 * where it overlaps none, so a dropped node never lands on top of another and hides it. Pure.
 */
export function findFreeSpot(
  nodes: readonly SizedNode[],
  measured: ReadonlyMap<string, { width: number; height: number }>,
  kind: string,
  wanted: Position,
  size: Pick<NodeGeometry, "width" | "height"> = nodeGeometry(kind, defaultConfigOf(kind)),
): Position {
  const rects: Rect[] = nodes.map((n) => {
    const m = measured.get(n.id) ?? nodeGeometry(n.kind, n.config, n.policy);
    return { x: n.position.x, y: n.position.y, width: m.width, height: m.height };
  });
  const free = (p: Position) => !rects.some((r) => overlaps({ ...p, ...size }, r, FREE_SPOT_GAP));
  if (free(wanted)) return wanted;
  for (let k = 1; k <= MAX_RINGS; k++) {
    const ring: Position[] = [];
    for (let i = -k; i <= k; i++) {
      ring.push({ x: wanted.x + i * STEP, y: wanted.y - k * STEP }, { x: wanted.x + i * STEP, y: wanted.y + k * STEP });
      if (i > -k && i < k) ring.push({ x: wanted.x - k * STEP, y: wanted.y + i * STEP }, { x: wanted.x + k * STEP, y: wanted.y + i * STEP });
    }
    ring.sort((a, b) => Math.hypot(a.x - wanted.x, a.y - wanted.y) - Math.hypot(b.x - wanted.x, b.y - wanted.y));
    const spot = ring.find(free);
    if (spot) return spot;
  }
  return wanted; // nothing free within 3,000 px: a crowded canvas keeps the drop point
}
