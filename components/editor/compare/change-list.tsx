"use client";

import type { FieldChange, WorkflowDiff } from "@/lib/workflow";
import { getNodeKind } from "@/lib/workflow";
import type { CompareStatus } from "@/lib/editor/compare-elements";
import { cn } from "@/components/ui/cn";

const DOT: Record<Exclude<CompareStatus, "same">, string> = { added: "bg-success", removed: "bg-danger", changed: "bg-warning", moved: "bg-warning" };

/** A value in one short line: strings quoted, positions as (x, y), anything else as JSON, cut at 60 characters. */
function formatValue(v: unknown): string {
  if (v === undefined) return "—";
  if (typeof v === "object" && v !== null && "x" in v && "y" in v && Object.keys(v).length === 2) return `(${String(v.x)}, ${String(v.y)})`;
  // JSON.stringify gives undefined only for functions and symbols, which a document never holds.
  const s = JSON.stringify(v) ?? "—";
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

function FieldLines({ changes }: { changes: FieldChange[] }) {
  return (
    <ul className="mt-1 space-y-0.5 pl-4">
      {changes.map((c) => (
        <li key={c.field} className="text-[11px] leading-snug break-all text-muted" data-testid={`change-field-${c.field}`}>
          <span className="font-mono text-fg">{c.field}</span>: <span className="line-through decoration-danger/60">{formatValue(c.before)}</span> →{" "}
          <span className="text-fg">{formatValue(c.after)}</span>
        </li>
      ))}
    </ul>
  );
}

interface Entry {
  id: string;
  label: string;
  kind: string;
  status: Exclude<CompareStatus, "same">;
  changes: FieldChange[];
}

/**
 * The diff as a list: one entry per added, removed, changed or moved node (its fields, before → after)
 * that focuses the node on click; then edges, notes, settings and document fields.
 */
export function ChangeList({
  diff,
  onFocusNode,
  onFocusEdge,
}: {
  diff: WorkflowDiff;
  onFocusNode: (id: string) => void;
  onFocusEdge: (source: string, target: string) => void;
}) {
  const entries: Entry[] = [
    ...diff.nodes.added.map((n) => ({ ...n, status: "added" as const, changes: [] })),
    ...diff.nodes.removed.map((n) => ({ ...n, status: "removed" as const, changes: [] })),
    ...diff.nodes.changed.map((n) => ({ ...n, status: n.movedOnly ? ("moved" as const) : ("changed" as const) })),
  ];
  const edges = [
    ...diff.edges.added.map((e) => ({ ...e, status: "added" as const, changes: [] as FieldChange[] })),
    ...diff.edges.removed.map((e) => ({ ...e, status: "removed" as const, changes: [] as FieldChange[] })),
    ...diff.edges.changed.map((e) => ({ ...e, status: "changed" as const })),
  ];
  const notes = diff.notes.added.length + diff.notes.removed.length + diff.notes.changed.length;
  const other = [...diff.settings, ...diff.document];

  if (diff.identical)
    return (
      <p className="p-3 text-xs text-muted" data-testid="compare-identical">
        No differences: both documents are the same.
      </p>
    );
  return (
    <div className="space-y-3 p-2" data-testid="change-list">
      {entries.length > 0 && (
        <section>
          <h3 className="px-1 pb-1 text-[11px] font-semibold tracking-wide text-muted uppercase">Nodes</h3>
          <ul className="space-y-1">
            {entries.map((e) => (
              <li key={`${e.status}-${e.id}`}>
                <button
                  type="button"
                  className="w-full rounded-lg px-2 py-1.5 text-left hover:bg-panel-2 focus-visible:outline-2 focus-visible:outline-accent"
                  onClick={() => onFocusNode(e.id)}
                  data-testid={`change-node-${e.id}`}
                  data-status={e.status}
                  title="Show this node on the canvas"
                >
                  <span className="flex items-center gap-2 text-[13px]">
                    <span className={cn("h-2 w-2 shrink-0 rounded-full", DOT[e.status])} aria-hidden />
                    <span className="min-w-0 flex-1 truncate font-medium">{e.label || e.id}</span>
                    <span className="text-[11px] text-muted">{e.status}</span>
                  </span>
                  <span className="block pl-4 text-[11px] text-muted">{getNodeKind(e.kind)?.label ?? e.kind}</span>
                  {e.changes.length > 0 && <FieldLines changes={e.changes} />}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {edges.length > 0 && (
        <section>
          <h3 className="px-1 pb-1 text-[11px] font-semibold tracking-wide text-muted uppercase">Connections</h3>
          <ul className="space-y-0.5">
            {edges.map((e) => (
              <li key={`${e.status}-${e.id}`}>
                <button
                  type="button"
                  className="w-full rounded-lg px-2 py-1 text-left hover:bg-panel-2"
                  onClick={() => onFocusEdge(e.source, e.target)}
                  data-testid={`change-edge-${e.id}`}
                  data-status={e.status}
                >
                  <span className="flex items-center gap-2 text-xs">
                    <span className={cn("h-2 w-2 shrink-0 rounded-full", DOT[e.status])} aria-hidden />
                    <span className="min-w-0 flex-1 truncate font-mono">
                      {e.source} → {e.target}
                    </span>
                    <span className="text-[11px] text-muted">{e.status}</span>
                  </span>
                  {e.changes.length > 0 && <FieldLines changes={e.changes} />}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {notes > 0 && (
        <section className="px-1">
          <h3 className="pb-1 text-[11px] font-semibold tracking-wide text-muted uppercase">Notes</h3>
          <p className="text-xs text-muted" data-testid="change-notes">
            {diff.notes.added.length} added · {diff.notes.removed.length} removed · {diff.notes.changed.length} changed
          </p>
        </section>
      )}
      {other.length > 0 && (
        <section className="px-1">
          <h3 className="text-[11px] font-semibold tracking-wide text-muted uppercase">Workflow</h3>
          <FieldLines changes={other} />
        </section>
      )}
    </div>
  );
}
