"use client";

import { useMemo } from "react";
import { Pin, X } from "lucide-react";
import type { RunEvent } from "@/lib/contracts/events";
import type { Checkpoint } from "@/lib/api/time-travel";
import type { RunOverlay } from "@/lib/editor/run-overlay";
import { nodeStatus } from "@/lib/editor/run-overlay";
import { ApprovalForm } from "@/components/runs/approvals/approval-form";
import { formatCost, formatDuration, StatusPill } from "@/components/editor/run/run-status";
import { modelLabel } from "@/lib/workflow/model-label";
import { canPin, pinFromRun, pinTooLarge, useEditor } from "@/lib/editor";
import { Button } from "@/components/ui/button";
import { ConcurrencyChart } from "./concurrency-chart";
import { JsonView } from "./json-view";
import { usePinOutput } from "./use-pin-output";
import { EscalationLevels } from "./escalation-levels";
import { escalationOf } from "@/components/runs/approvals/escalation-of";

/**
 * One node in this run: status, executions (attempts, items, durations), input (the state when it
 * was about to run, from the checkpoints), output (what it wrote), error, tokens and cost, the
 * model's streamed text, and the approval form while it waits.
 */
export function NodeDetails({
  runId,
  nodeId,
  label,
  live,
  events,
  version,
  checkpoints,
  onClose,
}: {
  runId: string;
  nodeId: string;
  label: string;
  live: RunOverlay;
  events: readonly RunEvent[];
  version: number;
  checkpoints: Checkpoint[];
  onClose: () => void;
}) {
  const n = live.nodes.get(nodeId);
  const status = nodeStatus(live, nodeId);
  const executions = useMemo(
    () =>
      events.filter(
        (e) =>
          "nodeId" in e &&
          e.nodeId === nodeId &&
          !(e as { scope?: string[] }).scope?.length &&
          (e.type === "node.finished" || e.type === "node.failed" || e.type === "node.retrying"),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- events grows in place; version is what changes when it does
    [events, version, nodeId],
  );
  const input = useMemo(() => {
    for (let i = checkpoints.length - 1; i >= 0; i--) if (checkpoints[i].next.includes(nodeId)) return checkpoints[i].values;
    return undefined;
  }, [checkpoints, nodeId]);
  const text = live.text.get(nodeId);
  const workflowId = useEditor((s) => s.workflowId);
  const kind = useEditor((s) => s.doc.nodes.find((x) => x.id === nodeId)?.kind);
  const pinOutput = usePinOutput(workflowId);
  const output = n?.output;
  const tooLarge = useMemo(() => (output ? pinTooLarge(output) : null), [output]);
  return (
    <div className="space-y-3 text-xs" data-testid={`node-details-${nodeId}`}>
      <div className="flex items-center gap-2">
        <h3 className="min-w-0 flex-1 truncate text-sm font-semibold">
          {label} <span className="font-mono text-[11px] font-normal text-muted">{nodeId}</span>
        </h3>
        <button type="button" aria-label="Close" className="rounded p-1 text-muted hover:bg-panel-2" onClick={onClose}>
          <X size={14} />
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {status ? <StatusPill status={status} testId="node-details-status" /> : <span className="text-muted">Not reached</span>}
        {n?.durationMs != null && <span className="text-muted">{formatDuration(n.durationMs)}</span>}
        {n && n.attempt > 1 && <span className="text-muted">attempt {n.attempt}</span>}
        {n?.pinned && (
          <span
            className="rounded bg-accent/15 px-1.5 py-0.5 text-[10px] font-semibold text-accent"
            title="The node did not execute: its pinned output stood in for it"
            data-testid="node-details-pinned"
          >
            pinned
          </span>
        )}
      </div>
      {(n?.tokens || n?.costUsd != null || n?.model) && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          {n?.model && (
            <>
              <dt className="text-muted">Model</dt>
              <dd title={n.model} data-testid="node-model">
                {modelLabel(n.model)}
              </dd>
            </>
          )}
          {n?.tokens && (
            <>
              <dt className="text-muted">Tokens</dt>
              <dd data-testid="node-details-tokens">
                {n.tokens.input} in · {n.tokens.output} out
              </dd>
            </>
          )}
          {n?.costUsd != null && (
            <>
              <dt className="text-muted">Cost</dt>
              <dd>{formatCost(n.costUsd)}</dd>
            </>
          )}
        </dl>
      )}
      {n?.error && (
        <div className="rounded-lg border border-[var(--run-failed)]/40 bg-[var(--run-failed)]/5 p-2.5" data-testid="node-details-error">
          <div className="font-mono font-semibold text-[var(--run-failed)]">{n.error.code}</div>
          <div className="mt-1">{n.error.message}</div>
        </div>
      )}
      <EscalationLevels events={events} nodeId={nodeId} version={version} />
      {status === "waiting" && n?.waiting && (
        <ApprovalForm key={n.waiting.since} compact request={{ runId, nodeId, ...n.waiting, ...escalationOf(lastWaiting(events, nodeId)) }} />
      )}
      {executions.length > 0 && (
        <div>
          <div className="mb-1 text-muted">Executions</div>
          <ul className="max-h-32 space-y-0.5 overflow-auto font-mono text-[11px]">
            {executions.slice(0, 200).map((e) => (
              <li key={e.seq}>
                {e.type === "node.finished" ? "✓" : e.type === "node.failed" ? "✗" : "↻"} attempt {(e as { attempt: number }).attempt}
                {(e as { itemIndex?: number }).itemIndex !== undefined ? ` · item ${(e as { itemIndex?: number }).itemIndex}` : ""}
                {"durationMs" in e ? ` · ${formatDuration(e.durationMs)}` : ""}
                {"error" in e && e.error ? ` · ${(e.error as { code: string }).code}` : ""}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ConcurrencyChart events={events} nodeId={nodeId} version={version} />
      <div>
        <div className="mb-1 text-muted">Input (state before it ran)</div>
        <JsonView value={input} className="max-h-48" testId="node-details-input" />
      </div>
      <div>
        <div className="mb-1 text-muted">Output (state it wrote)</div>
        <JsonView value={n?.output} className="max-h-48" testId="node-details-output" />
        {status === "succeeded" && n?.output && kind && canPin(kind) && (
          <div className="mt-2 space-y-1">
            {tooLarge ? (
              <p role="alert" className="text-danger" data-testid="node-details-pin-error">
                Cannot pin: {tooLarge}
              </p>
            ) : (
              <Button
                size="sm"
                disabled={pinOutput.isPending}
                onClick={() => pinOutput.mutate({ nodeId, pin: pinFromRun(n.output!, n.port, runId) })}
                data-testid="node-details-pin"
              >
                <Pin size={13} /> Pin this output
              </Button>
            )}
            {pinOutput.isSuccess && (
              <p className="text-muted" data-testid="node-details-pin-done">
                Pinned in version {pinOutput.data.version}: runs from the editor now skip this node.
              </p>
            )}
            {pinOutput.isError && (
              <p role="alert" className="text-danger" data-testid="node-details-pin-error">
                Could not pin: {pinOutput.error.message}
              </p>
            )}
          </div>
        )}
      </div>
      {text !== undefined && (
        <div>
          <div className="mb-1 text-muted">Model output</div>
          <JsonView value={text} className="max-h-48 font-sans" />
        </div>
      )}
    </div>
  );
}

/** The node's latest node.waiting event (its escalation evidence, when an escalating Agent waits). */
function lastWaiting(events: readonly RunEvent[], nodeId: string): Record<string, unknown> | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type === "node.waiting" && e.nodeId === nodeId && !e.scope?.length) return e;
  }
  return undefined;
}
