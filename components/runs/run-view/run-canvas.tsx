"use client";

import { useCallback, useMemo } from "react";
import { Background, BackgroundVariant, Controls, ReactFlow, ReactFlowProvider, type NodeChange } from "@xyflow/react";
import { useEditor, useEditorStoreApi, type FlowEdge, type FlowNode } from "@/lib/editor";
import { WorkflowNodeComponent } from "@/components/editor/workflow-node";
import { NoteNodeComponent } from "@/components/editor/note-node";
import { TopologyEdge } from "@/components/editor/topology/topology-edge";
import { useTheme } from "@/components/ui/use-theme";
import type { Checkpoint } from "@/lib/api/time-travel";

const nodeTypes = { workflow: WorkflowNodeComponent, note: NoteNodeComponent };
// The editor's edge: it draws the taken path from the store's run overlay, edge by edge.
const edgeTypes = { default: TopologyEdge };
const proOptions = { hideAttribution: true };
const esc = (id: string) => (typeof CSS !== "undefined" && CSS.escape ? CSS.escape(id) : id);

/**
 * A read-only canvas of the run's workflow version, inside its own editor store whose run overlay the
 * run view feeds: nodes light up live. With a checkpoint picked (time travel), the live statuses make
 * way for where the run was at that step: nodes done, the ones that just ran, and the next ones.
 */
export function RunCanvas({
  checkpoint,
  done,
  onSelectNode,
}: {
  checkpoint: Checkpoint | null;
  done: ReadonlySet<string>;
  onSelectNode: (id: string | null) => void;
}) {
  return (
    <ReactFlowProvider>
      <Flow checkpoint={checkpoint} done={done} onSelectNode={onSelectNode} />
    </ReactFlowProvider>
  );
}

function Flow({ checkpoint, done, onSelectNode }: { checkpoint: Checkpoint | null; done: ReadonlySet<string>; onSelectNode: (id: string | null) => void }) {
  const store = useEditorStoreApi();
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const { theme } = useTheme();
  // Only sizes (measurements) and selection reach the store: the canvas is read-only.
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const keep = changes.filter((c) => c.type === "dimensions" || c.type === "select");
      if (keep.length) store.getState().onNodesChange(keep);
    },
    [store],
  );
  const css = useMemo(() => {
    if (!checkpoint) return "";
    const sel = (ids: Iterable<string>) => [...ids].map((id) => `.run-canvas .react-flow__node[data-id="${esc(id)}"]`);
    const ran = sel(checkpoint.ran);
    const next = sel(checkpoint.next);
    const doneSel = sel([...done].filter((id) => !checkpoint.ran.includes(id)));
    let s = ".run-canvas .run-ring,.run-canvas .run-badge,.run-canvas .run-node-error{display:none}";
    s += ".run-canvas .react-flow__node-workflow{opacity:.45}";
    if (doneSel.length) s += `${doneSel.join(",")}{opacity:1;}${doneSel.map((x) => `${x} .aura-node`).join(",")}{box-shadow:0 0 0 2px var(--run-succeeded);}`;
    if (ran.length)
      s += `${ran.join(",")}{opacity:1;}${ran.map((x) => `${x} .aura-node`).join(",")}{box-shadow:0 0 0 3px var(--color-accent),0 0 0 8px color-mix(in srgb,var(--color-accent) 20%,transparent);}${ran.map((x) => `${x}::after`).join(",")}{content:"just ran";}`;
    if (next.length)
      s += `${next.join(",")}{opacity:1;}${next.map((x) => `${x} .aura-node`).join(",")}{outline:2px dashed var(--run-running);outline-offset:4px;}${next.map((x) => `${x}::after`).join(",")}{content:"next";background:var(--run-running);}`;
    return s;
  }, [checkpoint, done]);
  return (
    <div className="run-canvas relative h-full w-full" data-testid="run-canvas" data-checkpoint={checkpoint?.id ?? ""}>
      <style dangerouslySetInnerHTML={{ __html: css }} />
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={(_, n) => onSelectNode(n.id)}
        onPaneClick={() => onSelectNode(null)}
        nodesDraggable={false}
        nodesConnectable={false}
        deleteKeyCode={null}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        minZoom={0.05}
        maxZoom={2}
        onlyRenderVisibleElements={nodes.length > 150}
        proOptions={proOptions}
        colorMode={theme}
        aria-label="Workflow of this run (read-only)"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <Controls showInteractive={false} className="!rounded-lg !border !border-border !shadow-sm" />
      </ReactFlow>
    </div>
  );
}
