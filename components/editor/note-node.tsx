"use client";

import { memo, useState } from "react";
import { NodeResizer, type NodeProps } from "@xyflow/react";
import { updateNote, useEditorStoreApi, type NoteFlowNode } from "@/lib/editor";
import { cn } from "@/components/ui/cn";

const COLORS: Record<string, string> = {
  yellow: "bg-amber-100 border-amber-300 text-amber-950 dark:bg-amber-950/60 dark:border-amber-700 dark:text-amber-100",
  blue: "bg-sky-100 border-sky-300 text-sky-950 dark:bg-sky-950/60 dark:border-sky-700 dark:text-sky-100",
  green: "bg-emerald-100 border-emerald-300 text-emerald-950 dark:bg-emerald-950/60 dark:border-emerald-700 dark:text-emerald-100",
  pink: "bg-pink-100 border-pink-300 text-pink-950 dark:bg-pink-950/60 dark:border-pink-700 dark:text-pink-100",
  gray: "bg-slate-100 border-slate-300 text-slate-900 dark:bg-slate-800/80 dark:border-slate-600 dark:text-slate-100",
};

/** A sticky note: resizable, text edited in place (double-click), always plain text. */
function NoteView({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const store = useEditorStoreApi();
  const [editing, setEditing] = useState(false);
  return (
    <div
      data-testid={`note-${id}`}
      className={cn("h-full w-full rounded-lg border shadow-sm", COLORS[data.color] ?? COLORS.yellow, selected && "ring-2 ring-accent/50")}
      onDoubleClick={() => setEditing(true)}
    >
      <NodeResizer isVisible={selected} minWidth={80} minHeight={60} lineClassName="!border-accent" handleClassName="!bg-accent !border-panel" />
      {editing ? (
        <textarea
          autoFocus
          data-testid={`note-text-${id}`}
          aria-label="Note text"
          className="nodrag nowheel h-full w-full resize-none bg-transparent p-3 text-sm outline-none"
          value={data.text}
          onChange={(e) => store.getState().apply((d) => updateNote(d, id, { text: e.target.value }), { coalesce: `note:${id}` })}
          onBlur={() => setEditing(false)}
          onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
        />
      ) : (
        <div className="h-full w-full overflow-hidden p-3 text-sm whitespace-pre-wrap" title="Double-click to edit">
          {data.text || <span className="opacity-50">Double-click to write a note…</span>}
        </div>
      )}
    </div>
  );
}

export const NoteNodeComponent = memo(NoteView);
