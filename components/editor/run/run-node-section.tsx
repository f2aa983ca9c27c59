"use client";

import { useEffect, useMemo, useRef } from "react";
import { ChevronRight, Pin } from "lucide-react";
import { canPin, pinFromRun, pinTooLarge, setPin, useEditor, useEditorStoreApi } from "@/lib/editor";
import { nodeStatus } from "@/lib/editor/run-overlay";
import { ApprovalForm } from "@/components/runs/approvals/approval-form";
import { modelLabel } from "@/lib/workflow/model-label";
import { Button } from "@/components/ui/button";
import { formatCost, formatDuration, StatusPill } from "./run-status";

/**
 * The selected node in the watched run (inspector): status, attempts, duration, tokens and cost, the
 * error, the state it wrote, the model's streamed text as it arrives, and the approval form while it
 * waits.
 */
export function RunNodeSection({ nodeId }: { nodeId: string }) {
  const runId = useEditor((s) => s.run.runId);
  const status = useEditor((s) => nodeStatus(s.run, nodeId));
  const n = useEditor((s) => s.run.nodes.get(nodeId));
  const text = useEditor((s) => s.run.text.get(nodeId));
  const kind = useEditor((s) => s.doc.nodes.find((x) => x.id === nodeId)?.kind);
  const store = useEditorStoreApi();
  // Measured once per output, not on every streamed token.
  const output = n?.output;
  const tooLarge = useMemo(() => (output ? pinTooLarge(output) : null), [output]);
  const textRef = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = textRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [text]);
  if (!runId || !status) return null;
  return (
    <details open className="group border-b border-border" data-testid="inspector-run">
      <summary className="flex cursor-pointer list-none items-center gap-1 px-4 py-2.5 text-[11px] font-semibold tracking-wider text-muted uppercase select-none hover:text-fg">
        <ChevronRight size={13} className="transition-transform group-open:rotate-90" aria-hidden />
        This run
      </summary>
      <div className="space-y-3 px-4 pb-4 text-xs">
        <div className="flex flex-wrap items-center gap-2">
          <StatusPill status={status} testId="inspector-run-status" />
          {n && n.attempt > 1 && <span className="text-muted">attempt {n.attempt}</span>}
          {n && n.runs > 1 && <span className="text-muted">{n.runs} executions</span>}
          {n?.durationMs != null && <span className="text-muted">{formatDuration(n.durationMs)}</span>}
          {n?.pinned && (
            <span className="rounded bg-accent/15 px-1.5 py-0.5 text-[10px] font-semibold text-accent" data-testid="inspector-run-pinned">
              pinned
            </span>
          )}
        </div>
        {n && (n.tokens || n.model) && (
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            {n.model && (
              <>
                <dt className="text-muted">Model</dt>
                <dd title={n.model}>{modelLabel(n.model)}</dd>
              </>
            )}
            {n.tokens && (
              <>
                <dt className="text-muted">Tokens</dt>
                <dd>
                  {n.tokens.input} in · {n.tokens.output} out
                </dd>
              </>
            )}
            {n.costUsd != null && (
              <>
                <dt className="text-muted">Cost</dt>
                <dd>{formatCost(n.costUsd)}</dd>
              </>
            )}
          </dl>
        )}
        {n?.error && (
          <div className="rounded-lg border border-[var(--run-failed)]/40 bg-[var(--run-failed)]/5 p-2.5" data-testid="inspector-run-error">
            <div className="font-mono text-[11px] font-semibold text-[var(--run-failed)]">
              {n.error.code}
              {n.handled ? " (handled by the error output)" : ""}
            </div>
            <div className="mt-1 leading-relaxed">{n.error.message}</div>
            {status === "retrying" && n.retryDelayMs != null && (
              <div className="mt-1 text-muted">
                Attempt {n.nextAttempt} in {formatDuration(n.retryDelayMs)}
              </div>
            )}
          </div>
        )}
        {n?.skipReason && <p className="text-muted">Skipped: {n.skipReason}</p>}
        {status === "waiting" && n?.waiting && (
          <ApprovalForm
            key={`${runId}:${n.waiting.since}`}
            compact
            request={{
              runId,
              nodeId,
              interruptId: n.waiting.interruptId,
              instructions: n.waiting.instructions,
              editableFields: n.waiting.editableFields,
              values: n.waiting.values,
            }}
          />
        )}
        {text !== undefined && (
          <div>
            <div className="mb-1 text-muted">Model output {status === "running" && <span className="text-[var(--run-running)]">· streaming</span>}</div>
            <pre
              ref={textRef}
              className="max-h-56 overflow-auto rounded-lg bg-panel-2 p-2.5 font-sans text-xs leading-relaxed whitespace-pre-wrap"
              data-testid="inspector-run-tokens"
            >
              {text}
            </pre>
          </div>
        )}
        {n?.output && (
          <div>
            <div className="mb-1 text-muted">Wrote</div>
            <pre className="max-h-48 overflow-auto rounded-lg bg-panel-2 p-2.5 font-mono text-[11px]" data-testid="inspector-run-output">
              {JSON.stringify(n.output, null, 2)}
            </pre>
            {status === "succeeded" &&
              kind &&
              canPin(kind) &&
              (tooLarge ? (
                <p role="alert" className="mt-2 text-danger" data-testid="inspector-run-pin-error">
                  Cannot pin: {tooLarge}
                </p>
              ) : (
                // An ordinary document edit (undoable); the next Run from the editor uses it once saved.
                <Button
                  size="sm"
                  className="mt-2"
                  onClick={() => store.getState().apply((d) => setPin(d, nodeId, pinFromRun(n.output!, n.port, runId)))}
                  data-testid="inspector-run-pin"
                >
                  <Pin size={13} /> Pin this output
                </Button>
              ))}
          </div>
        )}
      </div>
    </details>
  );
}
