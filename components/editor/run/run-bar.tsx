"use client";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { io } from "socket.io-client";
import { ExternalLink, Play, RotateCcw, Square, Wifi, WifiOff, X } from "lucide-react";
import { toast } from "sonner";
import { useEditor, useEditorStoreApi } from "@/lib/editor";
import { isRunLive } from "@/lib/editor/run-overlay";
import { nodeDisplayName } from "@/lib/workflow";
import type { RealtimeClientSocket, StreamStatus } from "@/lib/realtime/realtime-client";
import { REALTIME_PATH } from "@/lib/contracts/protocol";
import { useWorkflowRunEvents } from "@/lib/realtime/use-run-events";
import { useCancelRun, useResumeRun } from "@/lib/api/runs";
import { Button } from "@/components/ui/button";
import { formatCost, formatDuration, StatusPill } from "./run-status";

/**
 * The watched run over the canvas: status, duration, tokens and cost, connection state, cancel /
 * resume, a link to the run view, and a notice when another run of this workflow starts (API,
 * webhook, schedule) with a button to watch it.
 */
export function RunBar({ stream, onWatch }: { stream: StreamStatus; onWatch: (runId: string | null) => void }) {
  const run = useEditor((s) => s.run);
  const workflowId = useEditor((s) => s.workflowId);
  const cancel = useCancelRun();
  const resume = useResumeRun();
  const [elsewhere, setElsewhere] = useState<string | null>(null);
  const store = useEditorStoreApi();

  // The workflow feed gets a socket of its own: on a shared socket the realtime client also hands
  // workflow-feed messages to the watched run's listener, whose cursor can then skip replayed seqs.
  const feedSocket = useMemo(() => io({ path: REALTIME_PATH, transports: ["websocket", "polling"] }) as RealtimeClientSocket, []);
  useEffect(() => () => void feedSocket.disconnect(), [feedSocket]);
  useWorkflowRunEvents(workflowId, {
    socket: feedSocket,
    onEvents: (events) => {
      const queued = events.findLast((e) => e.type === "run.queued" || e.type === "run.started");
      if (queued && queued.runId !== store.getState().run.runId) setElsewhere(queued.runId);
    },
  });

  const notice = elsewhere && elsewhere !== run.runId && (
    <div
      className="pointer-events-auto flex items-center gap-2 rounded-xl border border-accent/40 bg-panel px-3 py-1.5 text-xs shadow-lg"
      data-testid="run-elsewhere"
      role="status"
    >
      <Play size={13} className="text-accent" aria-hidden />
      <span>
        A run of this workflow started: <span className="font-mono">{elsewhere}</span>
      </span>
      <Button
        size="sm"
        variant="primary"
        onClick={() => {
          onWatch(elsewhere);
          setElsewhere(null);
        }}
        data-testid="run-elsewhere-watch"
      >
        Watch
      </Button>
      <button type="button" aria-label="Dismiss" className="rounded p-0.5 text-muted hover:bg-panel-2" onClick={() => setElsewhere(null)}>
        <X size={13} />
      </button>
    </div>
  );

  if (!run.runId) return notice ? <div className="pointer-events-none absolute top-3 left-1/2 z-10 -translate-x-1/2">{notice}</div> : null;
  const live = isRunLive(run.status);
  const status = run.status === "idle" ? "queued" : run.status;
  const act = async (what: "cancel" | "resume") => {
    try {
      await (what === "cancel" ? cancel : resume).mutateAsync(run.runId!);
    } catch (e) {
      toast.error(`Could not ${what} the run: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    // w-max: an absolutely placed box centred with left-1/2 would otherwise shrink to half the canvas and wrap its facts.
    <div className="pointer-events-none absolute top-3 left-1/2 z-10 flex w-max max-w-[calc(100%-1.5rem)] -translate-x-1/2 flex-col items-center gap-2">
      <div
        className="pointer-events-auto flex items-center gap-2.5 whitespace-nowrap rounded-xl border border-border bg-panel/95 px-3 py-1.5 text-xs shadow-lg backdrop-blur"
        data-testid="run-bar"
        data-run-id={run.runId}
        data-run-status={run.status}
        data-last-seq={run.lastSeq}
        data-applied={run.applied}
        data-duplicates={run.duplicates}
        data-gaps={run.gaps}
        data-stream={stream}
      >
        <StatusPill status={status} testId="run-bar-status" />
        <span className="font-mono text-muted" title="Run id">
          {run.runId}
        </span>
        <span className="whitespace-nowrap text-muted" title="Duration">
          {run.durationMs != null ? formatDuration(run.durationMs) : run.status === "running" && run.startedAt ? "running…" : ""}
        </span>
        {(run.tokens.input > 0 || run.tokens.output > 0) && (
          <span className="whitespace-nowrap text-muted" title="Tokens in / out and cost" data-testid="run-bar-usage">
            {run.tokens.input + run.tokens.output} tok · {formatCost(run.costUsd)}
          </span>
        )}
        <span
          className={stream === "live" ? "text-success" : stream === "reconnecting" || stream === "error" ? "text-warning" : "text-muted"}
          title={`Live updates: ${stream}`}
          data-testid="run-bar-stream"
        >
          {stream === "live" || stream === "closed" ? <Wifi size={13} /> : <WifiOff size={13} />}
        </span>
        {run.status === "succeeded" && run.result !== undefined && <RunResult result={run.result} from={run.resultFrom} />}
        {run.error && (
          <span className="max-w-72 truncate text-[var(--run-failed)]" title={`${run.error.code}: ${run.error.message}`} data-testid="run-bar-error">
            {run.error.message}
          </span>
        )}
        {live && (
          <Button size="sm" variant="ghost" onClick={() => void act("cancel")} disabled={cancel.isPending} data-testid="run-cancel">
            <Square size={12} /> Cancel
          </Button>
        )}
        {(run.status === "failed" || run.status === "cancelled") && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => void act("resume")}
            disabled={resume.isPending}
            data-testid="run-resume"
            title="Continue from where it stopped, without re-running what succeeded"
          >
            <RotateCcw size={12} /> Resume
          </Button>
        )}
        <Link
          href={`/runs/${encodeURIComponent(run.runId)}`}
          className="flex items-center gap-1 rounded-md px-1.5 py-1 font-medium whitespace-nowrap text-accent hover:bg-panel-2"
          data-testid="run-open-view"
        >
          Run view <ExternalLink size={12} />
        </Link>
        <button
          type="button"
          className="rounded p-1 text-muted hover:bg-panel-2 hover:text-fg"
          aria-label="Stop watching this run"
          title="Stop watching (the run continues)"
          onClick={() => onWatch(null)}
          data-testid="run-close"
        >
          <X size={14} />
        </button>
      </div>
      {notice}
    </div>
  );
}

/** The finished run's result in one line, and the node it came from when the Output returned the previous step's result. */
function RunResult({ result, from }: { result: unknown; from?: string }) {
  // Named as its card names it (the role while the label is the default).
  const label = useEditor((s) => {
    const node = from ? s.doc.nodes.find((n) => n.id === from) : undefined;
    return node ? nodeDisplayName(node) : from;
  });
  const text = typeof result === "string" ? result : (JSON.stringify(result) ?? "");
  return (
    <span className="flex max-w-96 min-w-0 items-center gap-1" data-testid="run-bar-result" title={text}>
      <span className="shrink-0 text-muted">
        Result
        {label ? (
          <>
            {" "}
            from{" "}
            <span className="font-medium text-fg" data-testid="run-bar-result-from">
              {label}
            </span>
          </>
        ) : null}
        :
      </span>
      <span className="truncate font-mono">{text || "(empty)"}</span>
    </span>
  );
}
