"use client";

import { Pin } from "lucide-react";
import { useEditor } from "@/lib/editor";

/**
 * The "pinned" mark on a canvas card: the document pins the node's output, or the watched run used
 * its pinned output instead of executing it. Read per node, so pins never rewrite node data. The run
 * view hides document pins (run-view.css): there only what the run did counts.
 */
export function PinnedMark({ id }: { id: string }) {
  const ranPinned = useEditor((s) => s.run.nodes.get(id)?.pinned === true);
  const inDocument = useEditor((s) => id in s.doc.pins);
  if (!ranPinned && !inDocument) return null;
  return (
    <div
      data-testid={`node-pinned-${id}`}
      data-pin-source={ranPinned ? "run" : "document"}
      title={ranPinned ? "This run used the node's pinned output: the node did not execute" : "Pinned output: runs from the editor skip this node and use it"}
      className="aura-pinned-mark absolute -top-2.5 left-3 z-[3] flex h-5 items-center gap-1 rounded-full bg-accent px-1.5 text-[10px] font-semibold text-white shadow"
    >
      <Pin size={10} aria-hidden />
      pinned
    </div>
  );
}
