"use client";

import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { AlertTriangle } from "lucide-react";
import { getInputPorts, getNodeKind, getOutputPorts, nodeDisplayName } from "@/lib/workflow";
import { portRowTop, useEditor, type WorkflowFlowNode } from "@/lib/editor";
import { cn } from "@/components/ui/cn";
import { KindIcon } from "./kind-icon";
import { ProviderBadge } from "./provider-badge";
import { PinnedMark } from "./pinned-mark";
import { RunNodeOverlay } from "./run/run-node-overlay";
import { TopologyNodeOverlay } from "./topology/topology-node-overlay";
import { useZoomedOut } from "./use-zoomed-out";

/**
 * A workflow node: kind icon and colour, label (always text), one handle per port, and a validation
 * badge read through a per-node selector so validation never rewrites node data.
 */
function WorkflowNodeView({ id, data, selected }: NodeProps<WorkflowFlowNode>) {
  const def = getNodeKind(data.kind);
  const issues = useEditor((s) => s.nodeIssues.get(id));
  const zoomedOut = useZoomedOut();
  const inputs = getInputPorts(data.kind);
  const outputs = getOutputPorts(data.kind, data.config, data.policy);
  const flowOutputs = outputs.filter((p) => p.type === "flow");
  const toolPorts = outputs.filter((p) => p.type === "tools");
  const color = def?.color ?? "#64748b";
  const labelled = flowOutputs.length > 1;
  // The node's own name (label, or its role while the label is the default) above its kind, as n8n does.
  const name = nodeDisplayName(data);

  return (
    <div
      data-testid={`node-${id}`}
      data-kind={data.kind}
      aria-label={`${def?.label ?? data.kind} node ${name}`}
      className={cn(
        "aura-node relative w-[220px] rounded-xl border bg-panel text-fg shadow-sm transition-shadow",
        selected ? "border-accent ring-2 ring-accent/40" : "border-border hover:shadow-md",
        issues?.errors ? "aura-node-error" : "",
        zoomedOut ? "aura-node-lod" : "",
      )}
    >
      <div className="absolute inset-y-0 left-0 w-1 rounded-l-xl" style={{ backgroundColor: color }} />
      <RunNodeOverlay id={id} />
      <TopologyNodeOverlay id={id} />
      <PinnedMark id={id} />
      <ProviderBadge id={id} kind={data.kind} config={data.config} />
      {zoomedOut ? (
        <div className="flex h-14 items-center gap-2 px-4">
          <span className="h-5 w-5 shrink-0 rounded-md" style={{ backgroundColor: color }} />
          <span className="truncate text-2xl font-semibold">{name}</span>
        </div>
      ) : (
        <div className="flex items-center gap-2.5 py-2.5 pr-3 pl-4">
          <KindIcon kind={data.kind} size={18} className="h-9 w-9" />
          <div className="min-w-0 flex-1">
            <div className="truncate text-[13px] leading-tight font-semibold" data-testid={`node-label-${id}`}>
              {name}
            </div>
            <div className="truncate text-[11px] leading-tight text-muted">{def?.label ?? `Unknown kind "${data.kind}"`}</div>
          </div>
        </div>
      )}
      {labelled && (
        // Same height zoomed in and out, so crossing the detail threshold never re-measures nodes.
        <div className="border-t border-border py-1">
          {flowOutputs.map((p) => (
            <div key={p.id} className="h-6 pr-4 text-right text-[11px] leading-6 text-muted">
              {zoomedOut ? null : p.label}
            </div>
          ))}
        </div>
      )}
      {inputs.map((p) => (
        <Handle
          key={p.id}
          id={p.id}
          type="target"
          position={Position.Left}
          className="aura-handle"
          data-testid={`handle-${id}-${p.id}`}
          role="img"
          aria-label={`${data.label} input`}
        />
      ))}
      {flowOutputs.map((p, i) => (
        <Handle
          key={p.id}
          id={p.id}
          type="source"
          position={Position.Right}
          className="aura-handle"
          style={labelled ? { top: portRowTop(i) } : undefined}
          data-testid={`handle-${id}-${p.id}`}
          role="img"
          aria-label={`${data.label} output ${p.label}`}
          title={p.label}
        />
      ))}
      {toolPorts.map((p) => (
        <Handle
          key={p.id}
          id={p.id}
          type="source"
          position={Position.Bottom}
          className="aura-handle aura-handle-tools"
          data-testid={`handle-${id}-${p.id}`}
          role="img"
          aria-label={`${data.label} ${p.label} port`}
          title="Tools: attach tool nodes"
        />
      ))}
      {issues && (
        <div
          role="img"
          data-testid={`node-issues-${id}`}
          title={issues.summary}
          aria-label={`${issues.count} problem${issues.count === 1 ? "" : "s"}: ${issues.summary}`}
          className={cn(
            "absolute -top-2.5 -right-2.5 flex h-5 min-w-5 items-center justify-center gap-0.5 rounded-full px-1.5 text-[10px] font-bold shadow",
            issues.errors ? "bg-danger text-danger-fg" : "bg-warning text-warning-fg",
          )}
        >
          <AlertTriangle size={10} aria-hidden />
          {issues.count}
        </div>
      )}
    </div>
  );
}

export const WorkflowNodeComponent = memo(WorkflowNodeView);
