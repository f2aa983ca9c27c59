"use client";

import { memo } from "react";
import { BezierEdge, getBezierPath, type EdgeProps } from "@xyflow/react";
import { useTopologyEdge } from "@/lib/editor/topology-store";
import { heatVars } from "@/lib/editor/topology-visuals";
import type { FlowEdge } from "@/lib/editor";

/**
 * The canvas's default edge: React Flow's bezier edge, plus the topology overlay when it is on —
 * heat-coloured stroke, a glow under critical-path edges, a diamond on bridges, calm edges faded.
 * Its state comes from a per-edge selector; with the overlay off it is exactly the bezier edge.
 */
function TopologyEdgeView(props: EdgeProps<FlowEdge>) {
  const v = useTopologyEdge(props.id);
  if (!v || props.data?.invalid) return <BezierEdge {...props} />;
  const [path, labelX, labelY] = getBezierPath({
    sourceX: props.sourceX,
    sourceY: props.sourceY,
    sourcePosition: props.sourcePosition,
    targetX: props.targetX,
    targetY: props.targetY,
    targetPosition: props.targetPosition,
    curvature: props.pathOptions?.curvature,
  });
  const calm = v.heat === 0 && !v.critical;
  const width = v.critical ? 3.25 : 1.75 + 1.5 * v.score;
  const style: React.CSSProperties = calm || props.selected ? { ...props.style } : { ...props.style, stroke: "var(--heat)", strokeWidth: width };
  const bridgeY = props.label ? labelY - 16 : labelY;
  return (
    <g className={calm ? "topo-heat topo-edge-calm" : "topo-heat"} style={heatVars(v.score) as React.CSSProperties} data-testid={`topo-edge-${props.id}`} data-heat={v.heat} data-critical={v.critical} data-bridge={v.bridge}>
      {v.critical && <path d={path} className="topo-edge-glow" strokeWidth={11} />}
      <BezierEdge {...props} style={style} />
      {v.bridge && !v.tool && <rect className="topo-bridge" x={labelX - 4.5} y={bridgeY - 4.5} width={9} height={9} rx={1.5} transform={`rotate(45 ${labelX} ${bridgeY})`} data-testid={`topo-bridge-${props.id}`} />}
    </g>
  );
}

export const TopologyEdge = memo(TopologyEdgeView);
