"use client";

import Link from "next/link";
import { useState } from "react";
import { ArrowLeft, PenLine } from "lucide-react";
import { useWorkflow } from "@/lib/api/workflows";
import { BottleneckReport } from "./bottleneck-report";
import { LiveIndicator } from "./live-indicator";
import { OverviewPanel } from "./overview-panel";
import { EMPTY_FILTERS, type RunFilterState } from "./runs-filters";
import { RunsSection } from "./runs-section";
import { useLiveRuns } from "./use-live-runs";
import { useOverviewRange } from "./use-overview-range";

/** /workflows/:id/runs: one workflow's stats, bottleneck report over time and runs. */
export function WorkflowRunsPage({ workflowId }: { workflowId: string }) {
  const workflow = useWorkflow(workflowId);
  const [range, setRange] = useOverviewRange();
  const [filters, setFilters] = useState<RunFilterState>(EMPTY_FILTERS);
  const { status, recent } = useLiveRuns();
  const name = (workflow.data as { name?: string } | undefined)?.name ?? workflowId;
  return (
    <div className="h-full overflow-auto" data-testid="workflow-runs-page">
      <div className="mx-auto max-w-7xl space-y-8 px-6 py-8">
        <header className="flex flex-wrap items-end justify-between gap-4">
          <div className="min-w-0">
            <Link href="/runs" className="inline-flex items-center gap-1 text-xs text-muted hover:text-fg">
              <ArrowLeft size={12} /> All runs
            </Link>
            <h1 className="mt-1 truncate text-2xl font-semibold tracking-tight" data-testid="workflow-title">
              {workflow.isError ? workflowId : name}
            </h1>
            <p className="mt-1 text-sm text-muted">Runs, stats and bottlenecks of this workflow.</p>
          </div>
          <div className="flex items-center gap-2">
            <LiveIndicator status={status} />
            <Link
              href={`/workflows/${encodeURIComponent(workflowId)}`}
              className="inline-flex h-9 items-center gap-1.5 rounded-md border border-border bg-panel px-3 text-sm font-medium hover:bg-panel-2"
            >
              <PenLine size={14} /> Open in editor
            </Link>
          </div>
        </header>
        {workflow.isError && (
          <div role="alert" className="rounded-xl border border-danger/40 bg-danger/5 px-4 py-3 text-sm">
            {workflow.error.message}
          </div>
        )}
        <OverviewPanel range={range} onRange={setRange} workflowId={workflowId} compact />
        <section className="space-y-3">
          <h2 className="text-sm font-semibold">Bottleneck report</h2>
          <BottleneckReport workflowId={workflowId} />
        </section>
        <section className="space-y-3">
          <h2 className="text-sm font-semibold">Runs</h2>
          <RunsSection filters={filters} onFilters={setFilters} workflows={[]} recent={recent} workflowId={workflowId} />
        </section>
      </div>
    </div>
  );
}
