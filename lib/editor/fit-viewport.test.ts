import { describe, expect, it } from "vitest";
import { fitViewport } from "./fit-viewport";

describe("fitViewport", () => {
  it("fits and centres what fits, never above 1:1", () => {
    const v = fitViewport({ x: 0, y: 0, width: 500, height: 100 }, 1000, 800);
    expect(v.zoom).toBe(1);
    expect(v.x).toBe(250);
    expect(v.y).toBe(350);
  });

  it("zooms out as far as needed without a minimum", () => {
    const v = fitViewport({ x: 0, y: 0, width: 10_000, height: 300 }, 1000, 800);
    expect(v.zoom).toBeCloseTo(0.076, 3);
  });

  it("stops at the minimum zoom and opens where the flow starts (left edge, level with Start)", () => {
    const v = fitViewport({ x: 0, y: -1000, width: 10_000, height: 2000 }, 1000, 800, 0.6, { x: 110, y: 29 });
    expect(v.zoom).toBe(0.6);
    expect(v.x).toBe(24); // the first node at the left edge, not centred off-screen
    expect(v.y).toBeCloseTo(400 - 29 * 0.6); // Start's row in the middle
  });

  it("never leaves blank space past the last node on an overflowing axis", () => {
    const v = fitViewport({ x: 0, y: 0, width: 300, height: 5000 }, 1000, 800, 0.6, { x: 150, y: 4900 });
    expect(v.y + 5000 * 0.6).toBeCloseTo(800 - 24);
  });
});
