import { describe, expect, it } from "vitest";
import { parseWorkflow, type WorkflowDocument } from "@/lib/workflow";
import { quickLayeredPositions } from "./quick-layout";

function bigDoc(n: number, extra: number): WorkflowDocument {
  const nodes = [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } }];
  for (let i = 1; i < n; i++) nodes.push({ id: `n${i}`, kind: "template", label: `S${i}`, position: { x: 0, y: 0 }, config: { fields: [] } });
  const edges = nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: nodes[i].id, target: node.id }));
  for (let i = 0; i < extra; i++) edges.push({ id: `x${i}`, source: nodes[(i * 7) % (n - 31)].id, target: nodes[((i * 7) % (n - 31)) + 2 + (i % 29)].id });
  const parsed = parseWorkflow({ schemaVersion: 1, name: "big", nodes, edges });
  if (!parsed.ok) throw new Error("bad doc");
  return parsed.document;
}

describe("quick layered layout", () => {
  it("puts every edge of a DAG left to right and keeps loops from breaking it", () => {
    const doc = bigDoc(50, 20);
    const withLoop = { ...doc, edges: [...doc.edges, { id: "back", source: "n40", target: "n10" }] };
    const pos = quickLayeredPositions(withLoop, "RIGHT");
    expect(pos.size).toBe(50);
    for (const e of doc.edges) expect(pos.get(e.target)!.x).toBeGreaterThan(pos.get(e.source)!.x);
    const down = quickLayeredPositions(doc, "DOWN");
    for (const e of doc.edges) expect(down.get(e.target)!.y).toBeGreaterThan(down.get(e.source)!.y);
  });

  it("lays out 1,000 nodes and 1,500 edges in well under 300 ms", () => {
    const doc = bigDoc(1000, 501);
    const t = performance.now();
    const pos = quickLayeredPositions(doc, "RIGHT");
    expect(performance.now() - t).toBeLessThan(300);
    expect(pos.size).toBe(1000);
    const seen = new Set([...pos.values()].map((p) => `${p.x},${p.y}`));
    expect(seen.size).toBe(1000); // no two nodes on the same spot
  });
});
