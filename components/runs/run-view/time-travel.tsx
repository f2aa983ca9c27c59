"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { GitFork, Loader2, X } from "lucide-react";
import { toast } from "sonner";
import { useForkRun, type Checkpoint, type CheckpointList } from "@/lib/api/time-travel";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { formatTimeOfDay } from "@/components/ui/format-time";
import { JsonView } from "./json-view";

/**
 * Time travel: a slider over the run's checkpoints showing the state at each step (the canvas shows
 * where the run was), and "Fork from here" with an optional state editor. Lists the run's forks.
 */
export function TimeTravel({
  runId,
  list,
  error,
  index,
  onIndex,
  labels,
  busy,
}: {
  runId: string;
  list: CheckpointList | undefined;
  /** Why the history could not be read (e.g. retention compacted it: RUN_HISTORY_COMPACTED). */
  error?: Error | null;
  index: number | null;
  onIndex: (i: number | null) => void;
  labels: Map<string, string>;
  busy: boolean;
}) {
  const cps = list?.checkpoints ?? [];
  const router = useRouter();
  const fork = useForkRun();
  const [editing, setEditing] = useState(false);
  const [stateText, setStateText] = useState("");
  const [stateError, setStateError] = useState<string | null>(null);
  if (!list && error)
    return (
      <p className="p-4 text-sm text-muted" data-testid="tt-error">
        {error.message}
      </p>
    );
  if (!list) return <p className="p-4 text-sm text-muted">Loading checkpoints…</p>;
  if (!cps.length)
    return (
      <p className="p-4 text-sm text-muted" data-testid="tt-empty">
        No checkpoints yet: they appear once the run has executed a step.
      </p>
    );
  const i = index ?? cps.length - 1;
  const cp: Checkpoint = cps[Math.min(i, cps.length - 1)];
  const name = (id: string) => labels.get(id) ?? id;

  const doFork = async () => {
    let state: Record<string, unknown> | undefined;
    if (editing) {
      try {
        const parsed = JSON.parse(stateText) as unknown;
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("The state must be a JSON object.");
        // Only changed fields are sent (they replace their values in the fork).
        state = Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(cp.values[k])));
      } catch (e) {
        setStateError(e instanceof Error ? e.message : String(e));
        return;
      }
    }
    try {
      const r = await fork.mutateAsync({ runId, checkpointId: cp.id, ...(state && Object.keys(state).length ? { state } : {}) });
      toast.success(`Forked as ${r.runId}`);
      router.push(`/runs/${encodeURIComponent(r.runId)}`);
    } catch (e) {
      toast.error(`Could not fork: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <div className="space-y-3" data-testid="time-travel" data-count={cps.length} data-index={i}>
      <div className="flex items-center gap-3">
        <input
          type="range"
          className="tt-slider flex-1"
          min={0}
          max={cps.length - 1}
          value={i}
          onChange={(e) => onIndex(Number(e.target.value))}
          aria-label="Checkpoint"
          data-testid="tt-slider"
        />
        <span className="w-28 text-right text-xs whitespace-nowrap text-muted" data-testid="tt-position">
          Step {i + 1} / {cps.length}
        </span>
        {index !== null && (
          <Button size="sm" variant="ghost" onClick={() => onIndex(null)} title="Back to the live view" data-testid="tt-exit">
            <X size={12} /> Live
          </Button>
        )}
      </div>
      {list.truncated && <p className="text-[11px] text-warning">Only the latest {cps.length} checkpoints are listed.</p>}
      <div className="grid gap-3 md:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)]">
        <dl className="grid grid-cols-[auto_1fr] content-start gap-x-3 gap-y-1.5 text-xs" data-testid="tt-details">
          {/* Steps are numbered by their place on the slider only (LangGraph's own step counter starts at -1 and skips). */}
          <dt className="text-muted">At</dt>
          <dd>
            {formatTimeOfDay(cp.createdAt)}
            {cp.source !== "loop" && <span className="ml-1.5 rounded bg-panel-2 px-1 text-[10px] text-muted">{cp.source}</span>}
          </dd>
          <dt className="text-muted">Just ran</dt>
          <dd data-testid="tt-ran">{cp.ran.length ? cp.ran.map(name).join(", ") : "—"}</dd>
          <dt className="text-muted">Next</dt>
          <dd data-testid="tt-next">{cp.next.length ? cp.next.map(name).join(", ") : "— (the run ends here)"}</dd>
          {cp.interrupts.length > 0 && (
            <>
              <dt className="text-muted">Waiting</dt>
              <dd>{cp.interrupts.map(name).join(", ")}</dd>
            </>
          )}
          <dt className="text-muted">Checkpoint</dt>
          <dd className="truncate font-mono text-[10px]" title={cp.id}>
            {cp.id}
          </dd>
          <dd className="col-span-2 mt-2 space-y-2">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={editing}
                onChange={(e) => {
                  setEditing(e.target.checked);
                  setStateText(JSON.stringify(cp.values, null, 2));
                  setStateError(null);
                }}
                data-testid="tt-edit-state"
              />
              Edit the state before forking
            </label>
            <Button
              variant="primary"
              size="sm"
              onClick={() => void doFork()}
              disabled={fork.isPending || busy}
              data-testid="tt-fork"
              title={busy ? "Wait until the run stops (or cancel it) to fork it" : "Start a new run from this checkpoint"}
            >
              {fork.isPending ? <Loader2 size={13} className="animate-spin" /> : <GitFork size={13} />} Fork from here
            </Button>
            {busy && <p className="text-[11px] text-muted">Forking is possible once the run has stopped.</p>}
          </dd>
        </dl>
        <div>
          {editing ? (
            <>
              <textarea
                value={stateText}
                onChange={(e) => {
                  setStateText(e.target.value);
                  setStateError(null);
                }}
                spellCheck={false}
                className={cn(inputClass, "min-h-60 font-mono text-[11px]")}
                aria-label="State to fork with"
                data-testid="tt-state-editor"
              />
              <p className={cn("mt-1 text-[11px]", stateError ? "text-danger" : "text-muted")}>
                {stateError ?? "Changed fields replace their values in the fork; the others stay as they are."}
              </p>
            </>
          ) : (
            <JsonView value={cp.values} className="max-h-72" testId="tt-state" />
          )}
        </div>
      </div>
      {(list.forks.length > 0 || list.forkedFrom) && (
        <div className="border-t border-border pt-2 text-xs" data-testid="tt-forks">
          {list.forkedFrom && (
            <p>
              Forked from{" "}
              <Link className="font-mono text-accent hover:underline" href={`/runs/${encodeURIComponent(list.forkedFrom.runId)}`}>
                {list.forkedFrom.runId}
              </Link>
            </p>
          )}
          {list.forks.length > 0 && (
            <p className="mt-1">
              Forks:{" "}
              {list.forks.map((f, k) => (
                <span key={f.runId}>
                  {k > 0 && ", "}
                  <Link className="font-mono text-accent hover:underline" href={`/runs/${encodeURIComponent(f.runId)}`} data-testid={`tt-fork-link-${f.runId}`}>
                    {f.runId}
                  </Link>
                  <span className="text-muted">
                    {" "}
                    ({f.status}
                    {f.checkpointId ? `, step ${cps.findIndex((c) => c.id === f.checkpointId) + 1 || "?"}` : ""})
                  </span>
                </span>
              ))}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
