/** A box in flow coordinates. */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

const PADDING = 0.12;
const EDGE_PAD = 24;

/**
 * The viewport that shows `bounds` in a `width` × `height` canvas: fitted and centred, at most 1:1.
 * With `minZoom` it never zooms out further: when the bounds do not fit at that zoom, each axis that
 * overflows centres `anchor` (the Start node) without leaving blank space before the first or after
 * the last node, so the view opens where the flow starts and the user scrolls for the rest. Pure.
 */
export function fitViewport(
  bounds: Bounds,
  width: number,
  height: number,
  minZoom = 0.05,
  anchor?: { x: number; y: number },
): { x: number; y: number; zoom: number } {
  const fit = Math.min((width * (1 - 2 * PADDING)) / Math.max(bounds.width, 1), (height * (1 - 2 * PADDING)) / Math.max(bounds.height, 1));
  const zoom = Math.min(1, Math.max(minZoom, fit));
  const at = anchor ?? { x: bounds.x, y: bounds.y };
  const axis = (size: number, min: number, extent: number, a: number) => {
    if (fit >= minZoom || extent * zoom <= size - 2 * EDGE_PAD) return size / 2 - (min + extent / 2) * zoom;
    const centred = size / 2 - a * zoom;
    return Math.min(EDGE_PAD - min * zoom, Math.max(size - EDGE_PAD - (min + extent) * zoom, centred));
  };
  return { x: axis(width, bounds.x, bounds.width, at.x), y: axis(height, bounds.y, bounds.height, at.y), zoom };
}
