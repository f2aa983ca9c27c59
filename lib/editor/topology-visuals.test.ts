import { describe, expect, it } from "vitest";
import { analyzeTopology, toTopologyOverlay, type TopologyOverlay } from "@/lib/topology";
import type { WorkflowDocument } from "@/lib/workflow";
import { heatColor, heatLevel, heatRamp, HEAT_THRESHOLDS, formatDuration, overlayToVisuals, topologyInputChanged } from "./topology-visuals";

const overlay = (over: Partial<TopologyOverlay> = {}): TopologyOverlay => ({
  reportVersion: 1,
  summary: {} as TopologyOverlay["summary"],
  bottlenecks: [],
  nodeIds: [],
  nodeScores: [],
  nodeFlags: [],
  edgeIds: [],
  edgeScores: [],
  edgeFlags: [],
  ...over,
});

describe("heat scale", () => {
  it("levels follow the thresholds, 0.15 being the bottleneck cut-off", () => {
    expect(heatLevel(0)).toBe(0);
    expect(heatLevel(0.1499)).toBe(0);
    expect(heatLevel(0.15)).toBe(1);
    expect(heatLevel(0.35)).toBe(2);
    expect(heatLevel(0.6)).toBe(3);
    expect(heatLevel(0.85)).toBe(4);
    expect(heatLevel(1)).toBe(4);
  });

  it("colours hit the stops exactly, interpolate between them and clamp", () => {
    expect(heatColor(0)).toBe("#94a3b8");
    expect(heatColor(1)).toBe("#be123c");
    expect(heatColor(0.15)).toBe("#eab308");
    expect(heatColor(-3)).toBe(heatColor(0));
    expect(heatColor(7)).toBe(heatColor(1));
    expect(heatColor(Number.NaN)).toBe(heatColor(0));
    // halfway between amber-500 (245,158,11) and orange-600 (234,88,12): (239.5→240, 123, 11.5→12)
    expect(heatColor(0.475)).toBe("#f07b0c");
    expect(heatColor(1, "dark")).toBe("#fb7185");
  });

  it("ramps one colour per level, warming monotonically in red", () => {
    const ramp = heatRamp("light");
    expect(ramp).toHaveLength(HEAT_THRESHOLDS.length);
    const green = ramp.map((c) => parseInt(c.slice(3, 5), 16));
    for (let i = 2; i < green.length; i++) expect(green[i]).toBeLessThan(green[i - 1]);
  });
});

describe("overlayToVisuals", () => {
  const base = overlay({
    nodeIds: ["a", "j", "t"],
    nodeScores: [0.9, 0.2, 0],
    // a: critical + articulation; j: join (score below hot, but JOIN_WAIT bottleneck); t: tool
    nodeFlags: [1 | 2, 4, 16],
    edgeIds: ["e1", "e2"],
    edgeScores: [0.5, 0],
    edgeFlags: [1 | 2, 8],
    bottlenecks: [
      {
        rank: 1,
        type: "node",
        id: "a",
        label: "A",
        score: 0.9,
        headline: "On the critical path",
        reasons: [{ code: "CRITICAL_PATH", text: "On the critical path", signal: 0.9 }],
        suggestions: [],
      },
      {
        rank: 2,
        type: "node",
        id: "j",
        label: "J",
        score: 0.2,
        headline: "Waits",
        reasons: [{ code: "JOIN_WAIT", text: "Waits", signal: 0.2 }],
        suggestions: [],
      },
      { rank: 3, type: "edge", id: "e1", label: "A → J", score: 0.5, headline: "On the critical path.", reasons: [], suggestions: [] },
    ],
  });

  it("maps scores and flags to per-node and per-edge state", () => {
    const v = overlayToVisuals(base);
    expect(v.nodes.get("a")).toEqual({
      score: 0.9,
      heat: 4,
      critical: true,
      spof: true,
      join: false,
      hotJoin: false,
      loop: false,
      tool: false,
      parallelisable: false,
      rank: 1,
      headline: "On the critical path",
    });
    expect(v.nodes.get("j")).toMatchObject({ heat: 1, join: true, hotJoin: true, rank: 2, spof: false });
    expect(v.nodes.get("t")).toMatchObject({ heat: 0, tool: true, rank: null, headline: null });
    expect(v.edges.get("e1")).toEqual({ score: 0.5, heat: 2, critical: true, bridge: true, loop: false, tool: false, rank: 3 });
    expect(v.edges.get("e2")).toMatchObject({ heat: 0, tool: true, rank: null });
  });

  it("a join is hot by score alone too; a plain join is not", () => {
    const v = overlayToVisuals(overlay({ nodeIds: ["x", "y"], nodeScores: [0.4, 0.1], nodeFlags: [4, 4] }));
    expect(v.nodes.get("x")!.hotJoin).toBe(true);
    expect(v.nodes.get("y")!.hotJoin).toBe(false);
  });

  it("keeps the previous object of every unchanged element (per-node selectors do not re-render)", () => {
    const first = overlayToVisuals(base);
    const next = overlayToVisuals({ ...base, nodeScores: [0.9, 0.3, 0], edgeScores: [0.5, 0.1] }, first);
    expect(next.nodes.get("a")).toBe(first.nodes.get("a"));
    expect(next.nodes.get("t")).toBe(first.nodes.get("t"));
    expect(next.nodes.get("j")).not.toBe(first.nodes.get("j"));
    expect(next.edges.get("e1")).toBe(first.edges.get("e1"));
    expect(next.edges.get("e2")).not.toBe(first.edges.get("e2"));
  });

  it("works on a real analysis: critical path nodes are flagged, the top bottleneck is ranked 1", () => {
    const doc = {
      schemaVersion: 1,
      name: "w",
      description: "",
      nodes: [
        { id: "s", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
        { id: "a", kind: "agent", label: "Agent", position: { x: 0, y: 0 }, config: {} },
        { id: "h", kind: "http", label: "HTTP", position: { x: 0, y: 0 }, config: {} },
        { id: "o", kind: "output", label: "Out", position: { x: 0, y: 0 }, config: {} },
      ],
      edges: [
        { id: "e1", source: "s", target: "a" },
        { id: "e2", source: "s", target: "h" },
        { id: "e3", source: "a", target: "o" },
        { id: "e4", source: "h", target: "o" },
      ],
      notes: [],
      settings: {},
    } as unknown as WorkflowDocument;
    const report = analyzeTopology(doc);
    const v = overlayToVisuals(toTopologyOverlay(report));
    for (const id of report.summary.criticalPath.nodeIds) expect(v.nodes.get(id)!.critical).toBe(true);
    expect(v.nodes.get("o")!.join).toBe(true);
    const top = report.bottlenecks[0];
    expect((top.type === "node" ? v.nodes.get(top.id) : v.edges.get(top.id))!.rank).toBe(1);
  });
});

describe("topologyInputChanged", () => {
  const doc = {
    nodes: [{ id: "a", kind: "agent", label: "A", position: { x: 0, y: 0 }, config: {} }],
    edges: [],
    notes: [],
    settings: {},
  } as unknown as WorkflowDocument;

  it("ignores moves and notes, sees kinds, labels, config, edges and settings", () => {
    expect(topologyInputChanged(doc, doc)).toBe(false);
    expect(topologyInputChanged(doc, { ...doc, nodes: [{ ...doc.nodes[0], position: { x: 5, y: 5 } }] })).toBe(false);
    expect(topologyInputChanged(doc, { ...doc, notes: [] })).toBe(false);
    expect(topologyInputChanged(doc, { ...doc, nodes: [{ ...doc.nodes[0], label: "B" }] })).toBe(true);
    expect(topologyInputChanged(doc, { ...doc, nodes: [{ ...doc.nodes[0], config: {} }] })).toBe(true);
    expect(topologyInputChanged(doc, { ...doc, edges: [] })).toBe(true);
    expect(topologyInputChanged(doc, { ...doc, settings: {} as WorkflowDocument["settings"] })).toBe(true);
    expect(topologyInputChanged(doc, { ...doc, nodes: [] })).toBe(true);
  });
});

describe("formatDuration", () => {
  it("reads like people write it", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(3200)).toBe("3.2 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(302_552)).toBe("5 min 3 s");
    expect(formatDuration(30 * 60_000)).toBe("30 min");
    expect(formatDuration(80 * 60_000)).toBe("1 h 20 min");
    expect(formatDuration(-1)).toBe("–");
  });
});
