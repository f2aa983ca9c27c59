"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { GitFork, Pencil, RotateCcw, Square, Wifi, WifiOff } from "lucide-react";
import { toast } from "sonner";
import type { RunDetail } from "@/lib/contracts";
import { useCancelRun, useResumeRun, useRetryRun } from "@/lib/api/runs";
import type { CheckpointList } from "@/lib/api/time-travel";
import type { RunOverlay } from "@/lib/editor/run-overlay";
import type { StreamStatus } from "@/lib/realtime/realtime-client";
import { Button } from "@/components/ui/button";
import { formatCost, formatDuration, StatusPill } from "@/components/editor/run/run-status";
import { formatDateTime } from "@/components/ui/format-time";

/** Status, timings, trigger, tokens and cost, links (workflow, parent, retry, forks) and actions. */
export function RunHeader({
  run,
  live,
  workflowName,
  stream,
  forks,
}: {
  run: RunDetail;
  live: RunOverlay;
  workflowName: string;
  stream: StreamStatus;
  forks: CheckpointList | undefined;
}) {
  const router = useRouter();
  const cancel = useCancelRun();
  const resume = useResumeRun();
  const retry = useRetryRun();
  // The live overlay knows the status before the detail is refetched.
  const status = live.runId === run.id && live.status !== "idle" && live.applied > 0 ? live.status : run.status;
  const act = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      toast.error(`Could not ${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const duration = live.durationMs ?? run.durationMs;
  const tokens = run.tokens.input + run.tokens.output > 0 ? run.tokens : live.tokens;
  const cost = run.costUsd || live.costUsd;
  return (
    <header className="rounded-xl border border-border bg-panel p-4" data-testid="run-header" data-status={status}>
      <div className="flex flex-wrap items-center gap-3">
        <StatusPill status={status} testId="run-status" />
        <h1 className="font-mono text-sm font-semibold" data-testid="run-id">
          {run.id}
        </h1>
        <span className="text-sm text-muted">
          of{" "}
          <Link
            href={`/workflows/${encodeURIComponent(run.workflowId)}?run=${encodeURIComponent(run.id)}`}
            className="font-medium text-fg hover:underline"
            data-testid="run-workflow-link"
          >
            {workflowName}
          </Link>{" "}
          v{run.workflowVersion}
        </span>
        <span className={stream === "live" ? "text-success" : "text-warning"} title={`Live updates: ${stream}`} data-testid="run-stream" data-stream={stream}>
          {stream === "live" || stream === "closed" ? <Wifi size={14} /> : <WifiOff size={14} />}
        </span>
        <span className="flex-1" />
        <Link
          href={`/workflows/${encodeURIComponent(run.workflowId)}?run=${encodeURIComponent(run.id)}`}
          className="inline-flex h-8 items-center gap-1.5 rounded-md border border-border px-3 text-sm hover:bg-panel-2"
        >
          <Pencil size={13} /> Open in editor
        </Link>
        {(status === "queued" || status === "running" || status === "waiting") && (
          <Button onClick={() => void act("cancel", () => cancel.mutateAsync(run.id))} disabled={cancel.isPending} data-testid="run-view-cancel">
            <Square size={13} /> Cancel
          </Button>
        )}
        {(status === "failed" || status === "cancelled") && !run.retriedByRunId && (
          <>
            <Button
              onClick={() => void act("resume", () => resume.mutateAsync(run.id))}
              disabled={resume.isPending}
              data-testid="run-view-resume"
              title="Continue this run from where it stopped"
            >
              <RotateCcw size={13} /> Resume
            </Button>
            <Button
              onClick={() =>
                void act("retry", async () => {
                  const r = await retry.mutateAsync(run.id);
                  router.push(`/runs/${encodeURIComponent(r.runId)}`);
                })
              }
              disabled={retry.isPending}
              data-testid="run-view-retry"
              title="A new run (attempt + 1) continuing from the failed node"
            >
              <RotateCcw size={13} /> Retry as new run
            </Button>
          </>
        )}
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1.5 text-xs sm:grid-cols-4 lg:grid-cols-7">
        <Fact label="Trigger" value={run.trigger} />
        <Fact label="Created" value={formatDateTime(run.createdAt)} />
        <Fact label="Started" value={formatDateTime(run.startedAt)} />
        <Fact label="Finished" value={formatDateTime(run.finishedAt)} />
        <Fact label="Duration" value={formatDuration(duration)} testId="run-duration" />
        <Fact label="Tokens" value={`${tokens.input} in · ${tokens.output} out`} />
        <Fact label="Cost" value={formatCost(cost)} />
      </dl>
      {(run.parentRunId || run.retriedByRunId || (forks?.forks.length ?? 0) > 0) && (
        <div className="mt-3 flex flex-wrap gap-x-5 gap-y-1 text-xs" data-testid="run-links">
          {run.parentRunId && (
            <span>
              {run.trigger === "fork" ? <GitFork size={12} className="mr-1 inline" /> : null}
              {run.trigger === "fork" ? "Forked from " : "Retry of "}
              <Link href={`/runs/${encodeURIComponent(run.parentRunId)}`} className="font-mono text-accent hover:underline" data-testid="run-parent-link">
                {run.parentRunId}
              </Link>
            </span>
          )}
          {run.retriedByRunId && (
            <span>
              Retried as{" "}
              <Link href={`/runs/${encodeURIComponent(run.retriedByRunId)}`} className="font-mono text-accent hover:underline">
                {run.retriedByRunId}
              </Link>
            </span>
          )}
          {forks && forks.forks.length > 0 && (
            <span data-testid="run-forks">
              <GitFork size={12} className="mr-1 inline" />
              {forks.forks.length} fork{forks.forks.length === 1 ? "" : "s"}:{" "}
              {forks.forks.slice(0, 5).map((f, i) => (
                <span key={f.runId}>
                  {i > 0 && ", "}
                  <Link href={`/runs/${encodeURIComponent(f.runId)}`} className="font-mono text-accent hover:underline" data-testid={`run-fork-${f.runId}`}>
                    {f.runId}
                  </Link>
                </span>
              ))}
            </span>
          )}
        </div>
      )}
      {(run.error || live.error) && (
        <p className="mt-3 rounded-lg border border-[var(--run-failed)]/40 bg-[var(--run-failed)]/5 p-2.5 text-xs" data-testid="run-error">
          <span className="font-mono font-semibold text-[var(--run-failed)]">{(run.error ?? live.error)!.code}</span>
          {(run.error?.nodeId ?? live.error?.nodeId) && <span className="text-muted"> at {run.error?.nodeId ?? live.error?.nodeId}</span>}:{" "}
          {(run.error ?? live.error)!.message}
        </p>
      )}
    </header>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt className="text-muted">{label}</dt>
      <dd className="font-medium" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
