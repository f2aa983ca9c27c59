"use client";

import { memo } from "react";
import { BaseEdge, getBezierPath, type EdgeProps } from "@xyflow/react";
import { useTopologyEdge } from "@/lib/editor/topology-store";
import { heatVars } from "@/lib/editor/topology-visuals";
import { edgeRunState } from "@/lib/editor/run-overlay";
import { useEditor, type FlowEdge } from "@/lib/editor";

/**
 * The canvas's default edge: React Flow's bezier edge, plus the watched run's path and the topology
 * overlay when it is on — heat-coloured stroke, a glow under critical-path edges, a diamond on bridges,
 * calm edges faded. Both come from per-edge selectors, so a frame of run events re-renders only the
 * edges whose run state changed (a style sheet of the taken path rewritten every frame made Chromium
 * re-check every element's style: 10 ms a frame with a few hundred nodes and edges in view).
 */
function TopologyEdgeView(props: EdgeProps<FlowEdge>) {
  const v = useTopologyEdge(props.id);
  const run = useEditor((s) =>
    s.run.nodes.size ? edgeRunState(s.run, { source: props.source, target: props.target, sourceHandle: props.data?.sourcePort }) : undefined,
  );
  // A fast run's replay draws the edge as taken when its target lights up.
  const replayDelay = useEditor((s) => (run && s.replay && s.replay.runId === s.run.runId ? s.replay.delays.get(props.target) : undefined));
  const [path, labelX, labelY] = getBezierPath({
    sourceX: props.sourceX,
    sourceY: props.sourceY,
    sourcePosition: props.sourcePosition,
    targetX: props.targetX,
    targetY: props.targetY,
    targetPosition: props.targetPosition,
    curvature: (props.pathOptions as { curvature?: number } | undefined)?.curvature,
  });
  const topo = props.data?.invalid ? undefined : v;
  const calm = topo ? topo.heat === 0 && !topo.critical : true;
  const style: React.CSSProperties | undefined =
    !topo || calm || props.selected ? props.style : { ...props.style, stroke: "var(--heat)", strokeWidth: topo.critical ? 3.25 : 1.75 + 1.5 * topo.score };
  const edge = (
    <BaseEdge
      id={props.id}
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={props.label}
      labelStyle={props.labelStyle}
      labelShowBg={props.labelShowBg}
      labelBgStyle={props.labelBgStyle}
      labelBgPadding={props.labelBgPadding}
      labelBgBorderRadius={props.labelBgBorderRadius}
      style={replayDelay !== undefined ? ({ ...style, "--replay-delay": `${replayDelay}ms` } as React.CSSProperties) : style}
      markerEnd={props.markerEnd}
      markerStart={props.markerStart}
      interactionWidth={props.interactionWidth}
      className={run ? `run-edge-${run}${replayDelay !== undefined ? " run-replay-edge" : ""}` : undefined}
      data-run={run}
    />
  );
  if (!topo) return edge;
  const bridgeY = props.label ? labelY - 16 : labelY;
  return (
    <g
      className={calm ? "topo-heat topo-edge-calm" : "topo-heat"}
      style={heatVars(topo.score) as React.CSSProperties}
      data-testid={`topo-edge-${props.id}`}
      data-heat={topo.heat}
      data-critical={topo.critical}
      data-bridge={topo.bridge}
    >
      {topo.critical && <path d={path} className="topo-edge-glow" strokeWidth={11} />}
      {edge}
      {topo.bridge && !topo.tool && (
        <rect
          className="topo-bridge"
          x={labelX - 4.5}
          y={bridgeY - 4.5}
          width={9}
          height={9}
          rx={1.5}
          transform={`rotate(45 ${labelX} ${bridgeY})`}
          data-testid={`topo-bridge-${props.id}`}
        />
      )}
    </g>
  );
}

export const TopologyEdge = memo(TopologyEdgeView);
