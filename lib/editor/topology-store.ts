/**
 * The topology overlay's state: a small zustand store per open editor, kept apart from the editor
 * store so an analysis never rewrites node data. Nodes and edges read their visual state through
 * per-element selectors (`useTopologyNode(id)`), which re-render only when that element changed.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import { useStore } from "zustand";
import type { TopologyOverlay } from "@/lib/topology/overlay";
import type { FixPreview } from "./fix-preview";
import { useEditorStoreApi } from "./context";
import type { EditorStore } from "./store";
import { EMPTY_VISUALS, overlayToVisuals, type EdgeTopologyVisual, type NodeTopologyVisual, type TopologyVisuals } from "./topology-visuals";

export type TopologyStatus = "idle" | "analysing" | "ready" | "error";

/** Where the observed figures come from. */
export interface ObservedInfo {
  /** Runs aggregated (server and live together). */
  runs: number;
  /** Whether the server's topology endpoint answered (false: not available, structure-only or live-only). */
  server: boolean;
  /** Runs of this workflow in progress whose events update the figures. */
  liveRuns: number;
}

export interface TopologyState extends TopologyVisuals {
  enabled: boolean;
  status: TopologyStatus;
  error: string | null;
  overlay: TopologyOverlay | null;
  /** Worker time of the last analysis (ms). */
  elapsedMs: number | null;
  observed: ObservedInfo;
  /** A one-click fix shown on the canvas before it is applied (fix-actions.ts), or null. */
  fixPreview: FixPreview | null;
  setFixPreview: (preview: FixPreview | null) => void;
  setEnabled: (on: boolean) => void;
  toggle: () => void;
  /** A new analysis arrived: visuals are re-derived, unchanged elements keep their objects. */
  setOverlay: (overlay: TopologyOverlay, elapsedMs: number) => void;
  setStatus: (status: TopologyStatus, error?: string | null) => void;
  setObserved: (observed: ObservedInfo) => void;
}

export type TopologyStore = StoreApi<TopologyState>;

/** A fresh topology store (tests; editors get theirs through `topologyStoreFor`). */
export function createTopologyStore(): TopologyStore {
  return createStore<TopologyState>()((set, get) => ({
    ...EMPTY_VISUALS,
    enabled: false,
    status: "idle",
    error: null,
    overlay: null,
    elapsedMs: null,
    observed: { runs: 0, server: false, liveRuns: 0 },
    fixPreview: null,
    setFixPreview: (fixPreview) => set({ fixPreview }),
    setEnabled: (on) => {
      if (on !== get().enabled) set({ enabled: on });
    },
    toggle: () => set({ enabled: !get().enabled }),
    setOverlay: (overlay, elapsedMs) => {
      const visuals = overlayToVisuals(overlay, get());
      set({ overlay, elapsedMs, status: "ready", error: null, nodes: visuals.nodes, edges: visuals.edges });
    },
    setStatus: (status, error = null) => set({ status, error }),
    setObserved: (observed) => {
      const o = get().observed;
      if (o.runs !== observed.runs || o.server !== observed.server || o.liveRuns !== observed.liveRuns) set({ observed });
    },
  }));
}

const stores = new WeakMap<EditorStore, TopologyStore>();

/** The topology store of an editor (created on first use, lives as long as the editor store). */
export function topologyStoreFor(editor: EditorStore): TopologyStore {
  let s = stores.get(editor);
  if (!s) {
    s = createTopologyStore();
    stores.set(editor, s);
  }
  return s;
}

/** The current editor's topology store. */
export function useTopologyStoreApi(): TopologyStore {
  return topologyStoreFor(useEditorStoreApi());
}

/** A slice of the current editor's topology state. */
export function useTopologyState<T>(selector: (s: TopologyState) => T): T {
  return useStore(useTopologyStoreApi(), selector);
}

/** A node's overlay state, or undefined when the overlay is off or the node was not analysed. */
export function useTopologyNode(id: string): NodeTopologyVisual | undefined {
  return useTopologyState((s) => (s.enabled ? s.nodes.get(id) : undefined));
}

/** An edge's overlay state, or undefined when the overlay is off or the edge was not analysed. */
export function useTopologyEdge(id: string): EdgeTopologyVisual | undefined {
  return useTopologyState((s) => (s.enabled ? s.edges.get(id) : undefined));
}
