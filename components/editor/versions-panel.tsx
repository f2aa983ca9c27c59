"use client";

import { useState } from "react";
import { Eye, GitCompare, History, RotateCcw, X } from "lucide-react";
import { useWorkflowVersions } from "@/lib/api/workflows";
import { selectDirty, useEditor } from "@/lib/editor";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { formatDateTime } from "@/components/ui/format-time";
import { previewOf, refLabel, type CompareSession, type VersionRef } from "./compare/compare-session";
import { useRestoreFlow } from "./compare/use-restore-flow";

const reasonLabel = (r: string) => (r.startsWith("restore:") ? `Restored v${r.slice(8)}` : r === "save" ? "Saved" : r.charAt(0).toUpperCase() + r.slice(1));
const parseRef = (v: string): VersionRef => (v === "current" ? "current" : Number(v));

/**
 * Saved versions, newest first. Clicking a row previews that version read-only on the canvas with
 * the diff against the editor's document; "Compare" diffs any two; Restore creates a new version
 * from an old one and loads it into the editor.
 */
export function VersionsPanel({
  workflowId,
  session,
  onSession,
  onClose,
}: {
  workflowId: string;
  session: CompareSession | null;
  onSession: (session: CompareSession | null) => void;
  onClose: () => void;
}) {
  const { data, isLoading, error } = useWorkflowVersions(workflowId);
  const current = useEditor((s) => s.baseVersion);
  const dirty = useEditor(selectDirty);
  const { request: restore, pending, dialog } = useRestoreFlow(workflowId, () => onSession(null));
  const versions = [...(data ?? [])].sort((a, b) => b.version - a.version);
  const [from, setFrom] = useState<VersionRef | null>(null);
  const [to, setTo] = useState<VersionRef>("current");
  // Until the user picks, compare the version before the current one with the editor's document.
  const fromRef = from ?? versions.find((v) => v.version < current)?.version ?? versions.at(-1)?.version ?? "current";
  const previewing = session?.preview ? session.to : null;

  return (
    <aside className="flex h-full w-80 shrink-0 flex-col border-l border-border bg-panel" aria-label="Version history" data-testid="versions-panel">
      <div className="flex items-center gap-2 border-b border-border px-4 py-3">
        <History size={15} className="text-muted" aria-hidden />
        <h2 className="flex-1 text-sm font-semibold">Version history</h2>
        <button type="button" className="rounded p-1 text-muted hover:bg-panel-2 hover:text-fg" onClick={onClose} aria-label="Close version history">
          <X size={15} />
        </button>
      </div>
      {versions.length > 0 && (
        <form
          className="flex items-end gap-1.5 border-b border-border px-3 py-2.5"
          onSubmit={(e) => {
            e.preventDefault();
            onSession({ from: fromRef, to, preview: false });
          }}
          aria-label="Compare two versions"
        >
          <VersionSelect label="From" value={fromRef} onChange={setFrom} versions={versions.map((v) => v.version)} dirty={dirty} testId="compare-from" />
          <VersionSelect label="To" value={to} onChange={setTo} versions={versions.map((v) => v.version)} dirty={dirty} testId="compare-to" />
          <Button type="submit" size="sm" data-testid="compare-button" title="Show both versions overlaid on the canvas">
            <GitCompare size={12} /> Compare
          </Button>
        </form>
      )}
      <div className="min-h-0 flex-1 overflow-y-auto p-2">
        {isLoading && <p className="p-3 text-xs text-muted">Loading versions…</p>}
        {error && <p className="p-3 text-xs text-danger">Could not load versions: {error.message}</p>}
        {versions.length > 0 && <p className="px-2 pb-2 text-[11px] text-muted">Click a version to preview it on the canvas.</p>}
        <ol className="space-y-1">
          {versions.map((v) => (
            <li
              key={v.version}
              data-testid={`version-row-${v.version}`}
              aria-current={previewing === v.version || undefined}
              className={cn(
                "cursor-pointer rounded-lg border p-2.5 focus-visible:outline-2 focus-visible:outline-accent",
                previewing === v.version
                  ? "border-accent bg-accent/10"
                  : v.version === current
                    ? "border-accent/50 bg-accent/5"
                    : "border-transparent hover:bg-panel-2",
              )}
              role="button"
              tabIndex={0}
              title={`Preview version ${v.version}`}
              onClick={() => onSession(previewOf(v.version))}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") {
                  e.preventDefault();
                  onSession(previewOf(v.version));
                }
              }}
            >
              <div className="flex items-center gap-2">
                <span className="rounded bg-panel-2 px-1.5 py-0.5 font-mono text-[11px] font-semibold">v{v.version}</span>
                <span className="flex-1 truncate text-[13px] font-medium">{reasonLabel(v.reason)}</span>
                {previewing === v.version && (
                  <span className="flex items-center gap-1 text-[11px] font-medium text-accent">
                    <Eye size={11} aria-hidden /> previewing
                  </span>
                )}
                {v.version === current && previewing !== v.version ? (
                  <span className="text-[11px] font-medium text-accent">current</span>
                ) : v.version !== current ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    data-testid={`restore-${v.version}`}
                    disabled={pending}
                    onClick={(e) => {
                      e.stopPropagation();
                      restore(v.version);
                    }}
                  >
                    <RotateCcw size={12} /> Restore
                  </Button>
                ) : null}
              </div>
              <div className="mt-1 text-[11px] text-muted">
                {formatDateTime(v.createdAt)} · {v.nodeCount} node{v.nodeCount === 1 ? "" : "s"} · {v.name}
              </div>
            </li>
          ))}
        </ol>
      </div>
      {dialog}
    </aside>
  );
}

function VersionSelect({
  label,
  value,
  onChange,
  versions,
  dirty,
  testId,
}: {
  label: string;
  value: VersionRef;
  onChange: (v: VersionRef) => void;
  versions: number[];
  dirty: boolean;
  testId: string;
}) {
  return (
    <label className="flex min-w-0 flex-1 flex-col gap-0.5 text-[11px] text-muted">
      {label}
      <select
        className="h-7 rounded-md border border-border bg-panel px-1.5 text-xs text-fg"
        value={String(value)}
        onChange={(e) => onChange(parseRef(e.target.value))}
        data-testid={testId}
      >
        <option value="current">{refLabel("current", dirty)}</option>
        {versions.map((v) => (
          <option key={v} value={v}>
            v{v}
          </option>
        ))}
      </select>
    </label>
  );
}
