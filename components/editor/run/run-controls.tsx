"use client";

import { useEffect, useRef, useState } from "react";
import { AlertCircle, ChevronDown, Eye, Play } from "lucide-react";
import { toast } from "sonner";
import { selectDirty, useEditor, useEditorStoreApi } from "@/lib/editor";
import { useRuns, useStartRun } from "@/lib/api/runs";
import { ApiRequestError } from "@/lib/api/client";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useDismiss } from "@/components/ui/use-dismiss";
import { formatTimeOfDay } from "@/components/ui/format-time";
import { RunInputDialog } from "./run-input-dialog";
import { useWatchRun } from "./run-layer";
import { StatusPill } from "./run-status";

/**
 * The toolbar's Run button and run picker. Disabled (with the reasons listed) while the document has
 * validation errors; with unsaved changes the dialog asks to save first or to run the saved version.
 */
export function RunControls({ save, readOnly }: { save: () => Promise<unknown>; readOnly?: boolean }) {
  const store = useEditorStoreApi();
  const workflowId = useEditor((s) => s.workflowId);
  const errors = useEditor((s) => s.issues).filter((i) => i.severity === "error");
  const dirty = useEditor(selectDirty);
  const version = useEditor((s) => s.baseVersion);
  const doc = useEditor((s) => s.doc);
  const savedDoc = useEditor((s) => s.savedDoc);
  const watchedRun = useEditor((s) => s.run.runId);
  const start = useStartRun(workflowId);
  const watch = useWatchRun();
  const [dialog, setDialog] = useState(false);
  const [why, setWhy] = useState(false);
  const [picker, setPicker] = useState(false);
  const [busy, setBusy] = useState(false);
  const blocked = errors.length > 0;
  const reasons = errors.slice(0, 8).map((e) => e.message);

  const run = async (input: Record<string, unknown>, mode: "saved" | "save-first") => {
    setBusy(true);
    try {
      if (mode === "save-first") {
        await save();
        if (selectDirty(store.getState())) return; // save failed or was refused: the toast says why
      }
      const { runId } = await start.mutateAsync(input);
      setDialog(false);
      watch(runId);
    } catch (e) {
      const issues = e instanceof ApiRequestError && e.issues.length ? ` (${e.issues.map((i) => i.message).join("; ")})` : "";
      toast.error(`Could not start the run: ${e instanceof Error ? e.message : String(e)}${issues}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="relative ml-1 flex items-center">
      {/* A viewer may watch runs but not start one. */}
      {!readOnly && (
        <Button
          variant="secondary"
          className={cn("rounded-r-none border-r-0", blocked && "opacity-60")}
          aria-disabled={blocked}
          data-testid="run-button"
          data-blocked={blocked}
          title={
            blocked
              ? `Fix ${errors.length} problem${errors.length === 1 ? "" : "s"} before running:\n• ${reasons.join("\n• ")}`
              : dirty
                ? "Run (you have unsaved changes: choose to save first or run the saved version)"
                : `Run v${version}`
          }
          onClick={() => (blocked ? setWhy((o) => !o) : setDialog(true))}
        >
          {blocked ? <AlertCircle size={14} className="text-danger" /> : <Play size={14} className="text-success" />}
          Run
        </Button>
      )}
      <Button
        variant="secondary"
        size="icon"
        className={cn("w-6", !readOnly && "rounded-l-none")}
        aria-label="Watch a run"
        title="Watch a run of this workflow"
        data-testid="run-picker"
        onClick={() => setPicker((o) => !o)}
      >
        <ChevronDown size={12} />
      </Button>
      {why && blocked && (
        <Popover onClose={() => setWhy(false)} testId="run-blocked-reasons">
          <p className="mb-1.5 text-xs font-semibold text-danger">
            Fix {errors.length} problem{errors.length === 1 ? "" : "s"} before running
          </p>
          <ul className="max-h-64 space-y-1 overflow-auto text-xs">
            {errors.map((e, i) => (
              <li key={i}>
                <button
                  type="button"
                  className="w-full rounded px-1.5 py-1 text-left hover:bg-panel-2"
                  onClick={() => {
                    if (e.nodeId) store.getState().select([e.nodeId]);
                    setWhy(false);
                  }}
                >
                  {e.message}
                </button>
              </li>
            ))}
          </ul>
        </Popover>
      )}
      {picker && (
        <RunPicker
          workflowId={workflowId}
          watched={watchedRun}
          onPick={(id) => {
            watch(id);
            setPicker(false);
          }}
          onClose={() => setPicker(false)}
        />
      )}
      {dialog && (
        <RunInputDialog
          open={dialog}
          onClose={() => setDialog(false)}
          workflowId={workflowId}
          doc={dirty ? doc : savedDoc}
          dirty={dirty}
          savedVersion={version}
          busy={busy}
          onRun={(input, mode) => void run(input, mode)}
        />
      )}
    </div>
  );
}

function Popover({ children, onClose, testId, className }: { children: React.ReactNode; onClose: () => void; testId: string; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  // The popover with its trigger buttons (the parent), so the chevron toggles instead of close-and-reopen.
  const anchor = useRef<HTMLElement | null>(null);
  useEffect(() => {
    anchor.current = ref.current?.parentElement ?? null;
  }, []);
  useDismiss(anchor, true, onClose);
  return (
    <div
      ref={ref}
      role="dialog"
      data-testid={testId}
      className={cn("absolute top-10 right-0 z-30 w-80 rounded-lg border border-border bg-panel p-2 shadow-xl", className)}
    >
      {children}
    </div>
  );
}

/** Recent runs of the workflow (any trigger) to watch on the canvas; the newest first. */
function RunPicker({
  workflowId,
  watched,
  onPick,
  onClose,
}: {
  workflowId: string;
  watched: string | null;
  onPick: (id: string) => void;
  onClose: () => void;
}) {
  const { data, isLoading } = useRuns({ workflowId, limit: 10 }, { refetchInterval: 3000 });
  const runs = data?.runs ?? [];
  return (
    <Popover onClose={onClose} testId="run-picker-menu">
      <div className="mb-1 flex items-center justify-between px-1">
        <span className="text-xs font-semibold">Watch a run</span>
        {runs[0] && (
          <Button size="sm" variant="ghost" onClick={() => onPick(runs[0].id)} data-testid="run-watch-latest">
            <Eye size={12} /> Latest
          </Button>
        )}
      </div>
      {isLoading && <p className="px-1 py-2 text-xs text-muted">Loading…</p>}
      {!isLoading && runs.length === 0 && <p className="px-1 py-2 text-xs text-muted">No runs yet.</p>}
      <ul className="max-h-72 overflow-auto">
        {runs.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className={cn("flex w-full items-center gap-2 rounded px-1.5 py-1.5 text-left text-xs hover:bg-panel-2", r.id === watched && "bg-panel-2")}
              onClick={() => onPick(r.id)}
              data-testid={`run-pick-${r.id}`}
            >
              <StatusPill status={r.status} />
              <span className="min-w-0 flex-1 truncate font-mono text-[11px]">{r.id}</span>
              <span className="text-[10px] text-muted">
                {r.trigger} · {formatTimeOfDay(r.createdAt)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Popover>
  );
}
