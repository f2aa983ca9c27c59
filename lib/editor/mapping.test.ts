import { describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "@/lib/workflow";
import { addNode, connect, moveElements, setNodeLabel } from "./document-ops";
import { createFlowMapper } from "./mapping";

describe("document → React Flow mapping", () => {
  it("maps nodes, notes and edges with resolved handles", () => {
    let { doc } = addNode(createEmptyWorkflow("A"), "agent", { x: 0, y: 100 });
    doc = connect(doc, { source: "agent", sourceHandle: "tools", target: "output" }); // refused: output is not a tool
    doc = { ...doc, notes: [{ id: "n1", text: "hi", position: { x: 1, y: 1 }, width: 200, height: 100, color: "yellow" }] };
    const m = createFlowMapper();
    const nodes = m.mapNodes(doc, new Set(["agent"]), new Map());
    expect(nodes.map((n) => `${n.type}:${n.id}`)).toEqual(["note:n1", "workflow:start", "workflow:output", "workflow:agent"]);
    expect(nodes.find((n) => n.id === "agent")!.selected).toBe(true);
    const edges = m.mapEdges(doc, new Set(), new Set(["e-start-output"]));
    expect(edges[0]).toMatchObject({ source: "start", target: "output", sourceHandle: "out", targetHandle: "in", data: { invalid: true, tools: false } });
  });

  it("reuses unchanged nodes and keeps data identity across moves", () => {
    const doc = createEmptyWorkflow("A");
    const m = createFlowMapper();
    const sizes = new Map();
    const a = m.mapNodes(doc, new Set(), sizes);
    expect(m.mapNodes(doc, new Set(), sizes)).toBe(a);
    const moved = moveElements(doc, new Map([["start", { x: 50, y: 50 }]]));
    const b = m.mapNodes(moved, new Set(), sizes);
    expect(b).not.toBe(a);
    expect(b[0]).not.toBe(a[0]);
    expect(b[0].data).toBe(a[0].data);
    expect(b[1]).toBe(a[1]);
    const renamed = m.mapNodes(setNodeLabel(moved, "output", "Done"), new Set(), sizes);
    expect(renamed[0]).toBe(b[0]);
    expect(renamed[1].data.label).toBe("Done");
    const edges = m.mapEdges(doc, new Set(), new Set());
    expect(m.mapEdges(moved, new Set(), new Set())).toBe(edges);
  });
});

describe("precomputed geometry for large canvases", () => {
  it("gives unmeasured nodes a size and handles, and drops them once measured", async () => {
    const { addNode } = await import("./document-ops");
    const doc = addNode(createEmptyWorkflow("A"), "router", { x: 0, y: 0 }).doc;
    const m = createFlowMapper({ precomputeGeometry: true });
    const nodes = m.mapNodes(doc, new Set(), new Map());
    const router = nodes.find((n) => n.id === "router")!;
    expect(router.initialWidth).toBe(220);
    expect(router.handles!.map((h) => `${h.type}:${h.id}`)).toEqual(["target:in", "source:route:yes", "source:default"]);
    expect(router.initialHeight).toBeGreaterThan(58);
    const measured = m.mapNodes(doc, new Set(), new Map([["router", { width: 220, height: 115 }]]));
    expect(measured.find((n) => n.id === "router")!.handles).toBeUndefined();
  });
});

describe("documentBounds", () => {
  it("covers nodes (measured or computed) and notes", async () => {
    const { documentBounds } = await import("./node-geometry");
    const doc = { ...createEmptyWorkflow("A"), notes: [{ id: "n", text: "", position: { x: -100, y: 500 }, width: 50, height: 40, color: "yellow" as const }] };
    expect(documentBounds(doc, new Map([["output", { width: 300, height: 80 }]]))).toEqual({ x: -100, y: 0, width: 720, height: 540 }); // Output (measured 300 wide) sits at x 320
    expect(documentBounds({ nodes: [], notes: [] }, new Map())).toBeNull();
  });
});
