import { describe, expect, it } from "vitest";
import { CURRENT_SCHEMA_VERSION, diffWorkflows, WorkflowDocumentSchema, type WorkflowDocument } from "@/lib/workflow";
import { compareElements } from "./compare-elements";

const doc = (nodes: unknown[], edges: unknown[]): WorkflowDocument =>
  WorkflowDocumentSchema.parse({ schemaVersion: CURRENT_SCHEMA_VERSION, name: "C", nodes, edges });
const n = (id: string, kind: string, x: number, config: Record<string, unknown> = {}) => ({ id, kind, label: id, position: { x, y: 0 }, config });

describe("compareElements", () => {
  const from = doc(
    [
      n("start", "start", 0, { fields: [] }),
      n("route", "router", 200, { routes: [{ name: "a", condition: "true" }] }),
      n("old", "transform", 400),
      n("out", "output", 600, { value: "x" }),
    ],
    [
      { id: "e1", source: "start", target: "route" },
      { id: "e2", source: "route", target: "old", sourceHandle: "route:a" },
      { id: "e3", source: "old", target: "out" },
    ],
  );
  const to = doc(
    [n("start", "start", 0, { fields: [] }), n("route", "router", 200, { routes: [] }), n("new", "transform", 400), n("out", "output", 650, { value: "x" })],
    [
      { id: "e1", source: "start", target: "route" },
      { id: "e4", source: "route", target: "new", sourceHandle: "default" },
      { id: "e5", source: "new", target: "out" },
    ],
  );
  const { nodes, edges } = compareElements(from, to, diffWorkflows(from, to));

  it("draws the newer document's nodes with their status and the removed ones as ghosts at their old place", () => {
    expect(nodes.map((x) => [x.id, x.type === "compare" ? x.data.status : `origin of ${x.data.of}`, x.position.x])).toEqual([
      ["out~before", "origin of out", 600],
      ["old", "removed", 400],
      ["start", "same", 0],
      ["route", "changed", 200],
      ["new", "added", 400],
      ["out", "moved", 650],
    ]);
    expect(nodes[1].zIndex).toBe(-1);
    const route = nodes.find((x) => x.id === "route")!;
    expect(route.type === "compare" && route.data.changeCount).toBe(1);
  });

  it("marks edges; a removed edge's port the node no longer has falls back to its default port", () => {
    expect(edges.map((e) => [e.id, e.data!.status])).toEqual([
      ["e2", "removed"],
      ["e3", "removed"],
      ["e1", "same"],
      ["e4", "added"],
      ["e5", "added"],
    ]);
    expect(edges[0].sourceHandle).toBeUndefined(); // route:a is gone from the router in `to`
    expect(edges.find((e) => e.id === "e4")!.sourceHandle).toBe("default");
    expect(edges[0].className).toContain("aura-compare-edge-removed");
  });
});
