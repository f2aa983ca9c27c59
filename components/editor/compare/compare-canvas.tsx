"use client";

import { useMemo } from "react";
import { Background, BackgroundVariant, Controls, ReactFlow } from "@xyflow/react";
import type { CompareFlowEdge, CompareFlowNode } from "@/lib/editor/compare-elements";
import { useTheme } from "@/components/ui/use-theme";
import { CompareNodeComponent, OriginNodeComponent } from "./compare-node";
import "./compare.css";

const nodeTypes = { compare: CompareNodeComponent, origin: OriginNodeComponent };
const proOptions = { hideAttribution: true };

/**
 * A read-only canvas of compared elements (added, removed, changed): the versions compare view and the
 * topology fix preview both show one. Nothing on it can be moved, selected or deleted.
 */
export function CompareCanvas({
  nodes,
  edges,
  padding,
  label,
  testId,
}: {
  nodes: CompareFlowNode[];
  edges: CompareFlowEdge[];
  /** fitView padding (share of the viewport). */
  padding: number;
  label: string;
  testId: string;
}) {
  const { theme } = useTheme();
  return (
    <ReactFlow<CompareFlowNode, CompareFlowEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      nodesFocusable={false}
      edgesFocusable={false}
      elementsSelectable={false}
      deleteKeyCode={null}
      fitView
      fitViewOptions={useMemo(() => ({ padding, maxZoom: 1 }), [padding])}
      minZoom={0.05}
      maxZoom={2}
      proOptions={proOptions}
      colorMode={theme}
      aria-label={label}
      data-testid={testId}
    >
      <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
      <Controls showInteractive={false} className="!rounded-lg !border !border-border !shadow-sm" />
    </ReactFlow>
  );
}
