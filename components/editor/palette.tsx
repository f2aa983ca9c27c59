"use client";

import { useMemo, useState } from "react";
import { useReactFlow } from "@xyflow/react";
import { Search, StickyNote } from "lucide-react";
import { NODE_CATEGORIES, NODE_KINDS } from "@/lib/workflow";
import { addNode, addNote, useEditorStoreApi } from "@/lib/editor";
import { KindIcon } from "./kind-icon";

export const PALETTE_MIME = "application/x-aura-kind";

/** Searchable list of node kinds by category: drag onto the canvas, or click / Enter to add at the centre. */
export function Palette() {
  const [query, setQuery] = useState("");
  const store = useEditorStoreApi();
  const { screenToFlowPosition } = useReactFlow();
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = NODE_KINDS.filter((k) => !q || `${k.label} ${k.description} ${k.category} ${k.kind}`.toLowerCase().includes(q));
    return NODE_CATEGORIES.map((c) => ({ category: c, kinds: match.filter((k) => k.category === c) })).filter((g) => g.kinds.length);
  }, [query]);

  const centre = () => {
    const el = document.querySelector('[data-testid="canvas"]');
    const r = el?.getBoundingClientRect();
    const p = screenToFlowPosition(r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : { x: 400, y: 300 });
    return freeSpot({ x: p.x - 110, y: p.y - 30 });
  };
  /** The first spot near `want` (stepping down, then right) that no node or note covers. */
  const freeSpot = (want: { x: number; y: number }) => {
    const { doc, measured } = store.getState();
    const boxes = [
      ...doc.nodes.map((n) => ({ ...n.position, ...(measured.get(n.id) ?? { width: 220, height: 64 }) })),
      ...doc.notes.map((n) => ({ ...n.position, width: n.width, height: n.height })),
    ];
    const free = (x: number, y: number) => !boxes.some((b) => x < b.x + b.width + 20 && x + 220 + 20 > b.x && y < b.y + b.height + 20 && y + 64 + 20 > b.y);
    for (let col = 0; col < 6; col++)
      for (let row = 0; row < 6; row++) {
        const x = want.x + col * 260;
        const y = want.y + row * 90;
        if (free(x, y)) return { x, y };
      }
    return want;
  };
  const add = (kind: string) => {
    let id = "";
    store.getState().apply((d) => {
      const r = addNode(d, kind, centre());
      id = r.id;
      return r.doc;
    });
    store.getState().select([id]);
  };
  const addStickyNote = () => {
    let id = "";
    store.getState().apply((d) => {
      const r = addNote(d, centre());
      id = r.id;
      return r.doc;
    });
    store.getState().select([id]);
  };

  return (
    <aside className="flex h-full w-64 shrink-0 flex-col border-r border-border bg-panel" aria-label="Node palette" data-testid="palette">
      <div className="border-b border-border p-3">
        <div className="relative">
          <Search size={14} className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-muted" aria-hidden />
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Search nodes…"
            aria-label="Search node kinds"
            data-testid="palette-search"
            className="h-8 w-full rounded-md border border-border bg-panel-2 pr-2 pl-8 text-sm outline-none placeholder:text-muted focus:border-accent focus:ring-1 focus:ring-accent"
          />
        </div>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-2 py-2">
        {groups.map((g) => (
          <section key={g.category} className="mb-3">
            <h3 className="px-2 pb-1 text-[11px] font-semibold tracking-wider text-muted uppercase">{g.category}</h3>
            <ul>
              {g.kinds.map((k) => (
                <li key={k.kind}>
                  <button
                    type="button"
                    draggable
                    data-testid={`palette-item-${k.kind}`}
                    aria-label={`Add ${k.label}: ${k.description}`}
                    title={`${k.description}\nDrag onto the canvas, or click to add.`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_MIME, k.kind);
                      e.dataTransfer.effectAllowed = "copy";
                    }}
                    onClick={() => add(k.kind)}
                    className="group flex w-full cursor-grab items-start gap-2.5 rounded-lg px-2 py-1.5 text-left hover:bg-panel-2 focus-visible:bg-panel-2 focus-visible:outline-2 focus-visible:outline-accent active:cursor-grabbing"
                  >
                    <KindIcon kind={k.kind} size={15} className="mt-0.5 h-7 w-7" />
                    <span className="min-w-0">
                      <span className="block text-[13px] leading-tight font-medium">{k.label}</span>
                      <span className="line-clamp-2 block text-[11px] leading-snug text-muted">{k.description}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {groups.length === 0 && <p className="px-2 py-6 text-center text-xs text-muted">No node kind matches “{query}”.</p>}
      </div>
      <div className="border-t border-border p-2">
        <button
          type="button"
          onClick={addStickyNote}
          data-testid="add-note"
          className="flex w-full items-center gap-2 rounded-lg px-2 py-1.5 text-[13px] hover:bg-panel-2"
        >
          <StickyNote size={15} className="text-amber-500" aria-hidden /> Add sticky note
        </button>
      </div>
    </aside>
  );
}
