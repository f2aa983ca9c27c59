"use client";

import { useState } from "react";
import { Inbox, ListChecks } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { useWorkflows } from "@/lib/api/workflows";
import { useRunsList } from "@/lib/api/dashboard";
import { LiveIndicator } from "./live-indicator";
import { OverviewPanel } from "./overview-panel";
import { EMPTY_FILTERS, type RunFilterState } from "./runs-filters";
import { RunsSection } from "./runs-section";
import { StoragePanel } from "./storage-panel";
import { BreakersPanel } from "./breakers-panel";
import { WorkersPanel } from "./workers-panel";
import { roleAtLeast, useRole } from "@/lib/api/session";
import { useLiveRuns } from "./use-live-runs";
import { useOverviewRange } from "./use-overview-range";

export type DashboardTab = "runs" | "dead-letters";

/** /runs: the overview, then every run (live, filtered, paged) or the dead letters. */
export function RunsDashboard({ initialTab = "runs" }: { initialTab?: DashboardTab }) {
  const role = useRole();
  const isAdmin = role !== null && roleAtLeast(role, "admin");
  const [tab, setTab] = useState<DashboardTab>(initialTab);
  const [range, setRange] = useOverviewRange();
  const [filters, setFilters] = useState<RunFilterState>(EMPTY_FILTERS);
  const [deadFilters, setDeadFilters] = useState<RunFilterState>(EMPTY_FILTERS);
  const workflows = useWorkflows();
  const { status, recent } = useLiveRuns();
  const deadCount = useRunsList({ deadLetters: true, limit: 100 });
  const dead = deadCount.data?.pages[0]?.runs.length ?? 0;
  const list = (workflows.data ?? []).map((w) => ({ id: w.id, name: w.name })).sort((a, b) => a.name.localeCompare(b.name));

  const switchTab = (t: DashboardTab) => {
    setTab(t);
    const url = new URL(window.location.href);
    if (t === "runs") url.searchParams.delete("tab");
    else url.searchParams.set("tab", t);
    window.history.replaceState(null, "", url);
  };

  return (
    <div className="h-full overflow-auto" data-testid="runs-dashboard">
      <div className="mx-auto max-w-7xl space-y-8 px-6 py-8">
        <header className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Runs</h1>
            <p className="mt-1 text-sm text-muted">Every run of every workflow, live and past.</p>
          </div>
          <LiveIndicator status={status} />
        </header>

        <OverviewPanel range={range} onRange={setRange} />

        <BreakersPanel hideWhenEmpty />

        <section className="space-y-3">
          <div className="flex items-center gap-1 border-b border-border" role="tablist">
            {(
              [
                ["runs", "All runs", ListChecks, null],
                ["dead-letters", "Dead letters", Inbox, dead],
              ] as const
            ).map(([key, label, Icon, count]) => (
              <button
                key={key}
                role="tab"
                type="button"
                aria-selected={tab === key}
                onClick={() => switchTab(key)}
                data-testid={`tab-${key}`}
                className={cn(
                  "-mb-px inline-flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium transition-colors",
                  tab === key ? "border-accent text-fg" : "border-transparent text-muted hover:text-fg",
                )}
              >
                <Icon size={14} /> {label}
                {count ? (
                  <span className="rounded-full bg-danger/10 px-1.5 text-xs text-danger" data-testid="dead-letter-count">
                    {count >= 100 ? "99+" : count}
                  </span>
                ) : null}
              </button>
            ))}
          </div>
          {tab === "runs" ? (
            <RunsSection filters={filters} onFilters={setFilters} workflows={list} recent={recent} />
          ) : (
            <>
              <p className="text-sm text-muted">
                Runs that failed after all their retries. Retrying continues from the failed node: the nodes that succeeded do not run again.
              </p>
              <RunsSection filters={deadFilters} onFilters={setDeadFilters} workflows={list} recent={recent} deadLetters />
            </>
          )}
        </section>

        {/* Server-wide figures: admins and owners only (the API refuses others). */}
        <WorkersPanel />
        {isAdmin && <StoragePanel />}
      </div>
    </div>
  );
}
