"use client";

import { useEffect, useState } from "react";
import { Search, X } from "lucide-react";
import { Input } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { RANGES } from "./format";
import { STATUS_COLOR, STATUS_LABEL, STATUSES } from "./status-badge";

export interface RunFilterState {
  status: string[];
  workflowId: string;
  trigger: string;
  range: string;
  q: string;
}

export const EMPTY_FILTERS: RunFilterState = { status: [], workflowId: "", trigger: "", range: "all", q: "" };

const TRIGGERS = [
  ["", "Any trigger"],
  ["ui", "Editor"],
  ["api", "API"],
  ["webhook", "Webhook"],
  ["schedule", "Schedule"],
  ["retry", "Retry"],
  ["fork", "Fork"],
  ["cli", "CLI"],
] as const;

const select = "h-8 rounded-md border border-border bg-panel px-2 text-sm text-fg focus-visible:outline-2 focus-visible:outline-accent";

export function RunsFilters({
  value,
  onChange,
  workflows,
  hideStatus,
  hideWorkflow,
}: {
  value: RunFilterState;
  onChange: (next: RunFilterState) => void;
  workflows: { id: string; name: string }[];
  hideStatus?: boolean;
  hideWorkflow?: boolean;
}) {
  const [text, setText] = useState(value.q);
  // Debounced search: one request when typing stops.
  useEffect(() => {
    if (text === value.q) return;
    const t = setTimeout(() => onChange({ ...value, q: text.trim() }), 300);
    return () => clearTimeout(t);
  }, [text, value, onChange]);
  useEffect(() => setText(value.q), [value.q]);

  const toggleStatus = (s: string) => onChange({ ...value, status: value.status.includes(s) ? value.status.filter((x) => x !== s) : [...value.status, s] });
  const active = value.status.length > 0 || value.workflowId || value.trigger || value.range !== "all" || value.q;

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="runs-filters">
      {!hideStatus && (
        <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Status">
          {STATUSES.map((s) => {
            const on = value.status.includes(s);
            return (
              <button
                key={s}
                type="button"
                aria-pressed={on}
                onClick={() => toggleStatus(s)}
                data-testid={`status-filter-${s}`}
                className={cn(
                  "inline-flex h-7 items-center gap-1.5 rounded-full border px-2.5 text-xs font-medium transition-colors",
                  on ? "border-accent bg-accent/10 text-fg" : "border-border bg-panel text-muted hover:bg-panel-2 hover:text-fg",
                )}
              >
                <span className="h-2 w-2 rounded-full" style={{ background: STATUS_COLOR[s] }} aria-hidden />
                {STATUS_LABEL[s]}
              </button>
            );
          })}
        </div>
      )}
      <div className="ml-auto flex flex-wrap items-center gap-2">
        {!hideWorkflow && (
          <select
            aria-label="Workflow"
            className={cn(select, "max-w-[200px]")}
            value={value.workflowId}
            onChange={(e) => onChange({ ...value, workflowId: e.target.value })}
            data-testid="workflow-filter"
          >
            <option value="">All workflows</option>
            {workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        )}
        <select
          aria-label="Trigger"
          className={select}
          value={value.trigger}
          onChange={(e) => onChange({ ...value, trigger: e.target.value })}
          data-testid="trigger-filter"
        >
          {TRIGGERS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        <select
          aria-label="Time range"
          className={select}
          value={value.range}
          onChange={(e) => onChange({ ...value, range: e.target.value })}
          data-testid="range-filter"
        >
          <option value="all">Any time</option>
          {RANGES.map((r) => (
            <option key={r.key} value={r.key}>
              {r.label}
            </option>
          ))}
        </select>
        <div className="relative w-60">
          <Search size={14} className="pointer-events-none absolute left-2.5 top-1/2 -translate-y-1/2 text-muted" />
          <Input
            placeholder="Run id (run_…) or workflow name"
            aria-label="Search runs"
            value={text}
            onChange={(e) => setText(e.target.value)}
            className="h-8 pl-8"
            data-testid="runs-search"
          />
        </div>
        {active && (
          <button
            type="button"
            onClick={() => onChange(EMPTY_FILTERS)}
            className="inline-flex h-8 items-center gap-1 rounded-md px-2 text-xs text-muted hover:bg-panel-2 hover:text-fg"
            data-testid="clear-filters"
          >
            <X size={12} /> Clear
          </button>
        )}
      </div>
    </div>
  );
}
