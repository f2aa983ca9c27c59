"use client";

import { createContext, memo, useContext } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { getInputPorts, getNodeKind, getOutputPorts } from "@/lib/workflow";
import { portRowTop } from "@/lib/editor";
import type { CompareNodeData, CompareStatus, OriginNodeData } from "@/lib/editor/compare-elements";
import { cn } from "@/components/ui/cn";
import { KindIcon } from "../kind-icon";

/** The node the change list last focused (drawn with a pulse so the eye finds it). */
export const FocusedNodeContext = createContext<string | null>(null);

const STATUS_CLASS: Record<CompareStatus, string> = {
  added: "border-success ring-2 ring-success/40",
  removed: "border-dashed border-danger opacity-45",
  changed: "border-warning ring-2 ring-warning/40",
  moved: "border-warning ring-2 ring-warning/25",
  same: "border-border",
};
const BADGE_CLASS: Partial<Record<CompareStatus, string>> = { added: "bg-success", removed: "bg-danger", changed: "bg-warning", moved: "bg-warning" };

/**
 * A read-only node of the compare view: the editor node's card (icon, label, kind, ports) with its
 * diff status as a coloured border and a badge. It reads nothing from the editor store, so a preview
 * never shows the current document's validation or run state on another version's nodes.
 */
function CompareNodeView({ id, data }: NodeProps<Node<CompareNodeData, "compare">>) {
  const focused = useContext(FocusedNodeContext) === id;
  const def = getNodeKind(data.kind);
  const outputs = getOutputPorts(data.kind, data.config, data.policy);
  const flow = outputs.filter((p) => p.type === "flow");
  const labelled = flow.length > 1;
  const badge = BADGE_CLASS[data.status];
  return (
    <div
      data-testid={`compare-node-${id}`}
      data-status={data.status}
      data-focused={focused || undefined}
      aria-label={`${def?.label ?? data.kind} node ${data.label}: ${data.status}`}
      className={cn("relative w-[220px] rounded-xl border bg-panel text-fg shadow-sm", STATUS_CLASS[data.status], focused && "aura-compare-focused")}
    >
      <div className="absolute inset-y-0 left-0 w-1 rounded-l-xl" style={{ backgroundColor: def?.color ?? "#64748b" }} />
      <div className="flex items-center gap-2.5 py-2.5 pr-3 pl-4">
        <KindIcon kind={data.kind} size={18} className="h-9 w-9" />
        <div className="min-w-0 flex-1">
          <div className={cn("truncate text-[13px] leading-tight font-semibold", data.status === "removed" && "line-through")}>{data.label || "(unnamed)"}</div>
          <div className="truncate text-[11px] leading-tight text-muted">{def?.label ?? `Unknown kind "${data.kind}"`}</div>
        </div>
      </div>
      {labelled && (
        <div className="border-t border-border py-1">
          {flow.map((p) => (
            <div key={p.id} className="h-6 pr-4 text-right text-[11px] leading-6 text-muted">
              {p.label}
            </div>
          ))}
        </div>
      )}
      {getInputPorts(data.kind).map((p) => (
        <Handle key={p.id} id={p.id} type="target" position={Position.Left} className="aura-handle" isConnectable={false} />
      ))}
      {flow.map((p, i) => (
        <Handle
          key={p.id}
          id={p.id}
          type="source"
          position={Position.Right}
          className="aura-handle"
          style={labelled ? { top: portRowTop(i) } : undefined}
          isConnectable={false}
        />
      ))}
      {outputs
        .filter((p) => p.type === "tools")
        .map((p) => (
          <Handle key={p.id} id={p.id} type="source" position={Position.Bottom} className="aura-handle aura-handle-tools" isConnectable={false} />
        ))}
      {badge && (
        <span className={cn("absolute -top-2.5 right-3 rounded-full px-2 py-0.5 text-[10px] font-bold tracking-wide text-white uppercase shadow", badge)}>
          {data.status}
          {data.status === "changed" && data.changeCount > 0 ? ` · ${data.changeCount}` : ""}
        </span>
      )}
    </div>
  );
}

export const CompareNodeComponent = memo(CompareNodeView);

/** Where a moved node stood before: a dashed amber outline the size of a node header. */
function OriginNodeView({ data }: NodeProps<Node<OriginNodeData, "origin">>) {
  return (
    <div
      data-testid={`compare-origin-${data.of}`}
      className="flex h-[58px] w-[220px] items-center justify-center rounded-xl border-2 border-dashed border-warning/60 text-[11px] text-warning"
      aria-label={`${data.label} was here before`}
    >
      {data.label || data.of} was here
    </div>
  );
}

export const OriginNodeComponent = memo(OriginNodeView);
