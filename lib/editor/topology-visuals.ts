/**
 * The topology overlay's look, as pure data: a report's compact overlay (lib/topology/overlay.ts)
 * → one small visual state per node and per edge, and the heat colour scale. The canvas reads these
 * through per-node selectors, so a new analysis re-renders only the nodes whose state changed.
 */
import { EdgeFlag, NodeFlag, type TopologyOverlay } from "@/lib/topology/overlay";
import type { Bottleneck } from "@/lib/topology/report";
import type { WorkflowDocument } from "@/lib/workflow";

/** Heat levels: 0 calm, 1 warm, 2 hot, 3 very hot, 4 critical. */
export type HeatLevel = 0 | 1 | 2 | 3 | 4;

/** Lower bound of each heat level (level i covers [HEAT_THRESHOLDS[i], HEAT_THRESHOLDS[i + 1])). 0.15 is the report's bottleneck cut-off. */
export const HEAT_THRESHOLDS = [0, 0.15, 0.35, 0.6, 0.85] as const;
export const HEAT_LABELS = ["Calm", "Warm", "Hot", "Very hot", "Critical"] as const;

/** A join is "hot" when it waits on a slower branch, or scores at least this. */
export const HOT_JOIN_SCORE = 0.35;

export interface NodeTopologyVisual {
  score: number;
  heat: HeatLevel;
  critical: boolean;
  /** Articulation point: removing it splits the workflow (a single point of failure). */
  spof: boolean;
  join: boolean;
  hotJoin: boolean;
  loop: boolean;
  tool: boolean;
  parallelisable: boolean;
  /** Rank in the bottleneck list, or null. */
  rank: number | null;
  /** The strongest reason, for the tooltip (bottlenecks only). */
  headline: string | null;
}

export interface EdgeTopologyVisual {
  score: number;
  heat: HeatLevel;
  critical: boolean;
  /** Bridge: removing it splits the workflow. */
  bridge: boolean;
  loop: boolean;
  tool: boolean;
  rank: number | null;
}

export interface TopologyVisuals {
  nodes: ReadonlyMap<string, NodeTopologyVisual>;
  edges: ReadonlyMap<string, EdgeTopologyVisual>;
}

export const EMPTY_VISUALS: TopologyVisuals = { nodes: new Map(), edges: new Map() };

/** The heat level of a score in [0, 1]. */
export function heatLevel(score: number): HeatLevel {
  let level = 0;
  for (let i = 1; i < HEAT_THRESHOLDS.length; i++) if (score >= HEAT_THRESHOLDS[i]) level = i;
  return level as HeatLevel;
}

type Rgb = [number, number, number];
/** Colour stops of the heat scale per theme: slate (calm) → amber → orange → red → rose. Darker ends on light paper, brighter on dark. */
const STOPS: Record<"light" | "dark", [number, Rgb][]> = {
  light: [
    [0, [148, 163, 184]],
    [0.15, [234, 179, 8]],
    [0.35, [245, 158, 11]],
    [0.6, [234, 88, 12]],
    [0.85, [220, 38, 38]],
    [1, [190, 18, 60]],
  ],
  dark: [
    [0, [100, 116, 139]],
    [0.15, [250, 204, 21]],
    [0.35, [251, 191, 36]],
    [0.6, [251, 146, 60]],
    [0.85, [248, 113, 113]],
    [1, [251, 113, 133]],
  ],
};

const hex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;

/** The heat colour of a score in [0, 1] (clamped), as #rrggbb, interpolated between the theme's stops. */
export function heatColor(score: number, theme: "light" | "dark" = "light"): string {
  const s = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  const stops = STOPS[theme];
  for (let i = 1; i < stops.length; i++) {
    const [b, cb] = stops[i];
    if (s <= b) {
      const [a, ca] = stops[i - 1];
      const t = b === a ? 1 : (s - a) / (b - a);
      return hex([ca[0] + (cb[0] - ca[0]) * t, ca[1] + (cb[1] - ca[1]) * t, ca[2] + (cb[2] - ca[2]) * t]);
    }
  }
  return hex(stops[stops.length - 1][1]);
}

/** Colours of the legend's heat ramp (one per level, at the level's lower bound; calm at 0). */
export function heatRamp(theme: "light" | "dark" = "light"): string[] {
  return HEAT_THRESHOLDS.map((t) => heatColor(t, theme));
}

function sameNode(a: NodeTopologyVisual, b: NodeTopologyVisual): boolean {
  return (
    a.score === b.score &&
    a.critical === b.critical &&
    a.spof === b.spof &&
    a.join === b.join &&
    a.hotJoin === b.hotJoin &&
    a.loop === b.loop &&
    a.tool === b.tool &&
    a.parallelisable === b.parallelisable &&
    a.rank === b.rank &&
    a.headline === b.headline
  );
}

function sameEdge(a: EdgeTopologyVisual, b: EdgeTopologyVisual): boolean {
  return a.score === b.score && a.critical === b.critical && a.bridge === b.bridge && a.loop === b.loop && a.tool === b.tool && a.rank === b.rank;
}

/**
 * Per-node and per-edge visual state of an overlay. When `prev` is given, an element whose state did
 * not change keeps its previous object, so per-node selectors do not re-render it.
 */
export function overlayToVisuals(overlay: TopologyOverlay, prev: TopologyVisuals = EMPTY_VISUALS): TopologyVisuals {
  const ranked = new Map<string, Bottleneck>();
  for (const b of overlay.bottlenecks) ranked.set(`${b.type}:${b.id}`, b);

  const nodes = new Map<string, NodeTopologyVisual>();
  overlay.nodeIds.forEach((id, i) => {
    const flags = overlay.nodeFlags[i] ?? 0;
    const score = overlay.nodeScores[i] ?? 0;
    const b = ranked.get(`node:${id}`);
    const join = (flags & NodeFlag.JOIN) !== 0;
    const next: NodeTopologyVisual = {
      score,
      heat: heatLevel(score),
      critical: (flags & NodeFlag.CRITICAL) !== 0,
      spof: (flags & NodeFlag.ARTICULATION) !== 0,
      join,
      hotJoin: join && (score >= HOT_JOIN_SCORE || !!b?.reasons.some((r) => r.code === "JOIN_WAIT")),
      loop: (flags & NodeFlag.LOOP) !== 0,
      tool: (flags & NodeFlag.TOOL) !== 0,
      parallelisable: (flags & NodeFlag.PARALLELISABLE) !== 0,
      rank: b?.rank ?? null,
      headline: b?.headline ?? null,
    };
    const old = prev.nodes.get(id);
    nodes.set(id, old && sameNode(old, next) ? old : next);
  });

  const edges = new Map<string, EdgeTopologyVisual>();
  overlay.edgeIds.forEach((id, i) => {
    const flags = overlay.edgeFlags[i] ?? 0;
    const score = overlay.edgeScores[i] ?? 0;
    const next: EdgeTopologyVisual = {
      score,
      heat: heatLevel(score),
      critical: (flags & EdgeFlag.CRITICAL) !== 0,
      bridge: (flags & EdgeFlag.BRIDGE) !== 0,
      loop: (flags & EdgeFlag.LOOP) !== 0,
      tool: (flags & EdgeFlag.TOOL) !== 0,
      rank: ranked.get(`edge:${id}`)?.rank ?? null,
    };
    const old = prev.edges.get(id);
    edges.set(id, old && sameEdge(old, next) ? old : next);
  });
  return { nodes, edges };
}

/** Milliseconds as people read them: "850 ms", "3.2 s", "5 min", "1 h 20 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return s && m < 10 ? `${m} min ${s} s` : `${Math.round(ms / 60_000)} min`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/**
 * True when `next` may analyse differently from `prev`: nodes (kind, label, config, policy), edges or
 * settings changed. Moves (positions only) and notes do not count, so a drag never re-analyses.
 */
export function topologyInputChanged(prev: WorkflowDocument, next: WorkflowDocument): boolean {
  if (prev === next) return false;
  if (prev.edges !== next.edges || prev.settings !== next.settings) return true;
  if (prev.nodes === next.nodes) return false;
  if (prev.nodes.length !== next.nodes.length) return true;
  for (let i = 0; i < prev.nodes.length; i++) {
    const a = prev.nodes[i];
    const b = next.nodes[i];
    if (a === b) continue;
    if (a.id !== b.id || a.kind !== b.kind || a.label !== b.label || a.config !== b.config || a.policy !== b.policy) return true;
  }
  return false;
}

/** CSS custom properties carrying a score's heat colour in both themes (`.topo-heat` picks one as `--heat`). */
export function heatVars(score: number): Record<"--heat-l" | "--heat-d", string> {
  return { "--heat-l": heatColor(score, "light"), "--heat-d": heatColor(score, "dark") };
}
