"use client";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { useStore } from "zustand";
import { runKeys, useRun } from "@/lib/api/runs";
import { workflowApi, workflowKeys } from "@/lib/api/workflows";
import { useCheckpoints } from "@/lib/api/time-travel";
import { EditorStoreProvider, useEditorStoreApi, type CreateEditorStoreOptions } from "@/lib/editor";
import { isRunLive } from "@/lib/editor/run-overlay";
import { nodeDisplayName } from "@/lib/workflow";
import { type WorkflowDetail } from "@/lib/contracts";
import { cn } from "@/components/ui/cn";
import "@/components/editor/run/run.css";
import "./run-view.css";
import { EventLog } from "./event-log";
import { JsonView } from "./json-view";
import { NodeDetails } from "./node-details";
import { RunCanvas } from "./run-canvas";
import { RunHeader } from "./run-header";
import { RunTimeline } from "./run-timeline";
import { TimeTravel } from "./time-travel";
import { useRunEventLog } from "./use-run-event-log";

type Tab = "timeline" | "events" | "time-travel";

/** The run view: header, read-only live canvas, node details, timeline, event log, time travel. */
export function RunView({ runId }: { runId: string }) {
  const { data: run, error, isLoading } = useRun(runId);
  const version = useQuery({
    queryKey: run ? workflowKeys.version(run.workflowId, run.workflowVersion) : ["none"],
    queryFn: () => workflowApi.version(run!.workflowId, run!.workflowVersion),
    enabled: !!run,
    staleTime: Infinity,
  });
  if (isLoading || (run && version.isLoading)) {
    return (
      <div className="flex h-full items-center justify-center gap-2 text-sm text-muted">
        <Loader2 size={16} className="animate-spin" /> Loading run…
      </div>
    );
  }
  if (error || !run || !version.data) {
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 text-sm" data-testid="run-view-error">
        <p className="font-semibold">Could not open this run.</p>
        <p className="text-muted">{error?.message ?? version.error?.message ?? "Not found."}</p>
        <Link href="/" className="text-accent hover:underline">
          Back to workflows
        </Link>
      </div>
    );
  }
  return <LoadedRunView key={runId} runId={runId} detail={version.data} />;
}

function LoadedRunView({ runId, detail }: { runId: string; detail: WorkflowDetail }) {
  // A store of its own for the read-only canvas (the editor's node components read it); no drafts.
  const [options] = useState<CreateEditorStoreOptions>(() => ({ workflowId: detail.id, version: detail.version, document: detail.document }));
  return (
    <EditorStoreProvider options={options}>
      <RunViewBody runId={runId} detail={detail} />
    </EditorStoreProvider>
  );
}

function RunViewBody({ runId, detail }: { runId: string; detail: WorkflowDetail }) {
  const store = useEditorStoreApi();
  useState(() => store.getState().watchRun(runId));
  const qc = useQueryClient();
  const { data: run } = useRun(runId);
  const live = useStore(store, (s) => s.run);
  const { events, version, stream } = useRunEventLog(runId, (batch) => store.getState().applyRunEvents(batch));
  const liveStatus = live.applied > 0 ? live.status : run?.status;
  const running = !!liveStatus && isRunLive(liveStatus) && liveStatus !== "waiting";
  const cps = useCheckpoints(runId, liveStatus, { refetchInterval: running ? 2000 : false });
  const [tab, setTab] = useState<Tab>("timeline");
  const [selected, setSelected] = useState<string | null>(null);
  const [cpIndex, setCpIndex] = useState<number | null>(null);

  // The detail (timings, result, waitingFor) follows the live status.
  useEffect(() => {
    void qc.invalidateQueries({ queryKey: runKeys.detail(runId) });
  }, [qc, runId, live.status]);

  const labels = useMemo(() => new Map(detail.document.nodes.map((n) => [n.id, n.label || n.id])), [detail]);
  // The node the result came from, named as its card names it (the role while the label is the default).
  const resultFromNode = live.resultFrom ? detail.document.nodes.find((n) => n.id === live.resultFrom) : undefined;
  const resultFromName = resultFromNode ? nodeDisplayName(resultFromNode) : live.resultFrom;
  const checkpoints = useMemo(() => cps.data?.checkpoints ?? [], [cps.data]);
  const cp = tab === "time-travel" && checkpoints.length ? checkpoints[Math.min(cpIndex ?? checkpoints.length - 1, checkpoints.length - 1)] : null;
  const done = useMemo(() => {
    const s = new Set<string>();
    if (!cp) return s;
    for (const c of checkpoints) {
      for (const id of c.ran) s.add(id);
      if (c.id === cp.id) break;
    }
    return s;
  }, [checkpoints, cp]);

  if (!run) return null;
  return (
    <div className="h-full overflow-auto bg-bg" data-testid="run-view" data-run-id={runId}>
      <div className="mx-auto max-w-[1400px] space-y-4 p-4">
        <RunHeader run={run} live={live} workflowName={detail.name} stream={stream} forks={cps.data} />
        <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_360px]">
          <div className="h-[440px] overflow-hidden rounded-xl border border-border bg-panel">
            <RunCanvas checkpoint={cp} done={done} onSelectNode={setSelected} />
          </div>
          <aside className="h-[440px] overflow-auto rounded-xl border border-border bg-panel p-4">
            {selected ? (
              <NodeDetails
                runId={runId}
                nodeId={selected}
                label={labels.get(selected) ?? selected}
                live={live}
                events={events}
                version={version}
                checkpoints={checkpoints}
                onClose={() => setSelected(null)}
              />
            ) : (
              <div className="space-y-3 text-xs">
                <p className="text-muted">Click a node to see its input, output, error and tokens.</p>
                <div>
                  <div className="mb-1 font-semibold">Input</div>
                  <JsonView value={run.input} className="max-h-40" testId="run-input" />
                </div>
                <div>
                  <div className="mb-1 font-semibold">
                    Result
                    {live.resultFrom && (
                      <button
                        type="button"
                        className="ml-1 font-normal text-muted hover:text-accent hover:underline"
                        onClick={() => setSelected(live.resultFrom!)}
                        data-testid="run-result-from"
                        title="The Output returns what this node produced"
                      >
                        from {resultFromName}
                      </button>
                    )}
                  </div>
                  <JsonView
                    value={live.status === "succeeded" && live.result !== undefined ? live.result : run.result}
                    className="max-h-40"
                    testId="run-result"
                  />
                </div>
              </div>
            )}
          </aside>
        </div>
        <section className="rounded-xl border border-border bg-panel">
          <div className="flex gap-1 border-b border-border px-2 pt-2" role="tablist">
            {(
              [
                ["timeline", "Timeline"],
                ["events", `Event log (${events.length})`],
                ["time-travel", `Time travel${cps.data ? ` (${checkpoints.length})` : ""}`],
              ] as const
            ).map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                onClick={() => setTab(id)}
                data-testid={`tab-${id}`}
                className={cn(
                  "rounded-t-md border-b-2 px-3 py-1.5 text-sm",
                  tab === id ? "border-accent font-medium" : "border-transparent text-muted hover:text-fg",
                )}
              >
                {label}
              </button>
            ))}
          </div>
          <div className="p-3">
            {tab === "timeline" && <RunTimeline events={events} version={version} labels={labels} onSelectNode={setSelected} selected={selected} />}
            {tab === "events" && <EventLog events={events} version={version} onSelectNode={setSelected} />}
            {tab === "time-travel" && (
              <TimeTravel
                runId={runId}
                list={cps.data}
                error={cps.data ? null : cps.error}
                index={cpIndex}
                onIndex={setCpIndex}
                labels={labels}
                busy={liveStatus === "queued" || liveStatus === "running"}
              />
            )}
          </div>
        </section>
      </div>
    </div>
  );
}
