"use client";

import { useEffect } from "react";
import { useTopology } from "@/lib/editor/use-topology";
import { useTopologyState, useTopologyStoreApi } from "@/lib/editor/topology-store";
import { isTypingTarget } from "../use-editor-keyboard";
import { BottlenecksPanel } from "./bottlenecks-panel";
import { FixPreviewLayer } from "./fix-preview";
import { TopologyLegend } from "./topology-legend";
import "./topology.css";

/**
 * The topology overlay's layer over the canvas: runs the analysis (in a worker) while the overlay is
 * on, owns its shortcut (T, not while typing), and shows the Bottlenecks panel and the legend.
 * Nodes and edges decorate themselves (TopologyNodeOverlay, TopologyEdge).
 */
export function TopologyLayer() {
  useTopology();
  const topo = useTopologyStoreApi();
  const enabled = useTopologyState((s) => s.enabled);

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== "t" || e.metaKey || e.ctrlKey || e.altKey || e.repeat) return;
      if (isTypingTarget(e.target) || document.querySelector("dialog[open]")) return;
      e.preventDefault();
      topo.getState().toggle();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [topo]);

  if (!enabled) return <FixPreviewLayer />;
  return (
    <>
      <FixPreviewLayer />
      <div className="pointer-events-none absolute top-3 right-3 bottom-3 z-10 flex flex-col items-end">
        <BottlenecksPanel />
      </div>
      <div className="pointer-events-none absolute top-3 left-3 z-10">
        <TopologyLegend />
      </div>
    </>
  );
}
