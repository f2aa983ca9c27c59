"use client";

import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type IsValidConnection,
  type Viewport,
} from "@xyflow/react";
import { toast } from "sonner";
import { Maximize } from "lucide-react";
import { useFitAll } from "./use-fit-all";
import { addNode, connectionProblem, findFreeSpot, LARGE_WORKFLOW_NODES, useEditor, useEditorStoreApi, type FlowEdge, type FlowNode } from "@/lib/editor";
import { getNodeKind, type WorkflowDocument } from "@/lib/workflow";
import { WorkflowNodeComponent } from "./workflow-node";
import { NoteNodeComponent } from "./note-node";
import { PALETTE_MIME } from "./palette";
import { CanvasMiniMap } from "./canvas-minimap";
import { MinimapToggle } from "./minimap-toggle";
import { MINIMAP_H, MINIMAP_W, useMinimapDock } from "./use-minimap-dock";
import { cn } from "@/components/ui/cn";
import { EdgeOverview } from "./edge-overview";
import { TopologyEdge } from "./topology/topology-edge";

/** Zoomed out below this with more edges than that, edges are drawn as one path (level of detail). */
const OVERVIEW_ZOOM = 0.3;
const OVERVIEW_EDGES = 300;
const NO_EDGES: FlowEdge[] = [];
const zoomedFarOut = (s: { transform: [number, number, number] }) => s.transform[2] < OVERVIEW_ZOOM;
import { useTheme } from "@/components/ui/use-theme";

const nodeTypes = { workflow: WorkflowNodeComponent, note: NoteNodeComponent };
/** The default bezier edge, plus the topology overlay's heat and marks when it is on. */
const edgeTypes = { default: TopologyEdge };
const defaultEdgeOptions = { interactionWidth: 16 };
const proOptions = { hideAttribution: true };
const fitViewOptions = { padding: 0.2, maxZoom: 1 };
const MINIMAP_STYLE = { width: MINIMAP_W, height: MINIMAP_H };

const minimapColor = (n: FlowNode) => (n.type === "note" ? "#fcd34d" : (getNodeKind((n.data as { kind: string }).kind)?.color ?? "#94a3b8"));

/**
 * Where a large workflow opens: zoomed on its Start node rather than fitted (a fitted 1,000-node
 * graph renders every node and edge at once; zoomed in, only what is visible is rendered).
 */
function initialViewport(doc: WorkflowDocument, width: number, height: number): Viewport {
  const anchor = doc.nodes.find((n) => n.kind === "start") ?? doc.nodes[0];
  const zoom = 0.85;
  if (!anchor) return { x: 0, y: 0, zoom };
  return { x: width * 0.25 - anchor.position.x * zoom, y: height / 2 - (anchor.position.y + 30) * zoom, zoom };
}

/** The React Flow canvas, controlled by the editor store; mounts once its size is known. */
export function Canvas() {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const r = ref.current?.getBoundingClientRect();
    setSize({ width: r?.width || 800, height: r?.height || 600 });
  }, []);
  const empty = useEditor((s) => s.doc.nodes.length === 0 && s.doc.notes.length === 0);
  return (
    <div ref={ref} className="relative h-full w-full" data-testid="canvas">
      {size && <FlowCanvas width={size.width} height={size.height} />}
      {empty && (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center" data-testid="canvas-empty">
          <div className="rounded-xl border border-dashed border-border bg-panel/80 px-6 py-4 text-center text-sm text-muted">
            <p className="font-medium text-fg">This workflow is empty</p>
            <p className="mt-1">Drag a node from the palette, or click one to add it here.</p>
          </div>
        </div>
      )}
    </div>
  );
}

function FlowCanvas({ width, height }: { width: number; height: number }) {
  const store = useEditorStoreApi();
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const many = useEditor((s) => s.doc.nodes.length > LARGE_WORKFLOW_NODES);
  const overview = useStore(zoomedFarOut) && edges.length > OVERVIEW_EDGES;
  // Decided once at mount: fit small workflows, zoom large ones onto their start.
  const [startView] = useState(() => (many ? initialViewport(store.getState().doc, width, height) : undefined));
  const { screenToFlowPosition } = useReactFlow();
  const fitAll = useFitAll();
  const { theme } = useTheme();

  const onConnect = useCallback(
    (c: Connection) => {
      const problem = connectionProblem(store.getState().doc, c);
      if (problem) toast.error(problem);
      else store.getState().onConnect(c);
    },
    [store],
  );
  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (c) =>
      connectionProblem(store.getState().doc, {
        source: c.source,
        target: c.target,
        sourceHandle: c.sourceHandle ?? null,
        targetHandle: c.targetHandle ?? null,
      }) === null,
    [store],
  );
  const onDragOver = useCallback((e: React.DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  }, []);
  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME);
      if (!kind || !getNodeKind(kind)) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // Drop point = the node's icon, roughly: shift so the card sits under the cursor; on top of
      // another node it moves to the nearest free spot, so it never hides what is under it.
      let id = "";
      const measured = store.getState().measured;
      store.getState().apply((d) => {
        const r = addNode(d, kind, findFreeSpot(d.nodes, measured, kind, { x: Math.round(p.x - 30), y: Math.round(p.y - 28) }));
        id = r.id;
        return r.doc;
      });
      if (id) store.getState().select([id]);
    },
    [screenToFlowPosition, store],
  );
  const onPaneClick = useCallback(() => store.getState().select([]), [store]);
  const dock = useMinimapDock();
  const miniMap = useMemo(
    () => (
      <MiniMap
        pannable
        zoomable
        nodeColor={minimapColor}
        nodeStrokeWidth={0}
        style={MINIMAP_STYLE}
        className={cn("!box-content !rounded-lg !border !border-border !shadow-sm transition-opacity", dock.blocked && "aura-minimap-through")}
        ariaLabel="Minimap"
      />
    ),
    [dock.blocked],
  );

  return (
    <>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={overview ? NO_EDGES : edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onDrop={onDrop}
        onDragOver={onDragOver}
        onPaneClick={onPaneClick}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        onlyRenderVisibleElements={many}
        defaultEdgeOptions={defaultEdgeOptions}
        fitView={!startView}
        fitViewOptions={fitViewOptions}
        defaultViewport={startView}
        minZoom={0.05}
        maxZoom={2}
        snapToGrid
        snapGrid={[10, 10]}
        proOptions={proOptions}
        colorMode={theme}
        aria-label="Workflow canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} className="aura-bg" />
        {overview && <EdgeOverview />}
        {!dock.collapsed && (many ? <CanvasMiniMap blocked={dock.blocked} /> : miniMap)}
        <MinimapToggle collapsed={dock.collapsed} onToggle={dock.toggle} />
        <Controls showInteractive={false} showFitView={false} className="!rounded-lg !border !border-border !shadow-sm">
          <ControlButton onClick={() => fitAll()} title="Fit view" aria-label="Fit view">
            <Maximize size={12} />
          </ControlButton>
        </Controls>
      </ReactFlow>
    </>
  );
}
