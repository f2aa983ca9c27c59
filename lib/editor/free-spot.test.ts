import { describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "@/lib/workflow";
import { findFreeSpot, FREE_SPOT_GAP } from "./free-spot";
import { nodeGeometry } from "./node-geometry";

const doc = createEmptyWorkflow("Drop"); // Start at (0,0), Output at (320,0)
const none = new Map<string, { width: number; height: number }>();
const agent = nodeGeometry("agent", {});

function overlapsAny(p: { x: number; y: number }) {
  return doc.nodes.some((n) => {
    const g = nodeGeometry(n.kind, n.config);
    return (
      p.x < n.position.x + g.width + FREE_SPOT_GAP &&
      n.position.x < p.x + agent.width + FREE_SPOT_GAP &&
      p.y < n.position.y + g.height + FREE_SPOT_GAP &&
      n.position.y < p.y + agent.height + FREE_SPOT_GAP
    );
  });
}

describe("findFreeSpot", () => {
  it("keeps the drop point when nothing is there", () => {
    expect(findFreeSpot(doc.nodes, none, "agent", { x: 0, y: 400 })).toEqual({ x: 0, y: 400 });
  });

  it("nudges a node dropped on top of another to the nearest free spot", () => {
    const wanted = { x: 10, y: 10 };
    const spot = findFreeSpot(doc.nodes, none, "agent", wanted);
    expect(spot).not.toEqual(wanted);
    expect(overlapsAny(spot)).toBe(false);
    // Nearest: straight above or below Start (one node height and the gap away), not far off.
    expect(Math.hypot(spot.x - wanted.x, spot.y - wanted.y)).toBeLessThanOrEqual(agent.height + FREE_SPOT_GAP + 20);
  });

  it("uses measured sizes when it has them", () => {
    const tall = new Map([["start", { width: 220, height: 400 }]]);
    const spot = findFreeSpot(doc.nodes, tall, "agent", { x: 0, y: 200 });
    expect(spot.y >= 420 || spot.y + agent.height <= -FREE_SPOT_GAP || spot.x >= 240 || spot.x + agent.width <= -FREE_SPOT_GAP).toBe(true);
  });
});
