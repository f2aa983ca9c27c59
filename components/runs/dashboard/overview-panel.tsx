"use client";

import Link from "next/link";
import { Activity, AlertTriangle, CircleDollarSign, Gauge, Hand, Loader2, Timer } from "lucide-react";
import { Area, AreaChart, Bar, CartesianGrid, ComposedChart, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { cn } from "@/components/ui/cn";
import { useOverview } from "@/lib/api/dashboard";
import type { Overview } from "@/lib/contracts/stats-api";
import { formatDateTime, formatRelativeTime } from "@/components/ui/format-time";
import { chartTicks, formatCost, formatCount, formatDuration, formatPercent, RANGES, rangeMs } from "./format";
import { STATUS_COLOR } from "./status-badge";
import { modelLabel } from "@/lib/workflow/model-label";
import { EscalationsCard } from "./escalations-card";

const axis = { fontSize: 11, fill: "var(--color-muted)" };
/** Short duration for chart axes: 450ms, 1.2s, 3m. */
const axisDuration = (ms: number) => (ms < 1000 ? `${Math.round(ms)}ms` : ms < 60_000 ? `${+(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 60_000)}m`);
const tooltipStyle = {
  contentStyle: { background: "var(--color-panel)", border: "1px solid var(--color-border)", borderRadius: 8, fontSize: 12, color: "var(--color-fg)" },
  labelStyle: { color: "var(--color-muted)", marginBottom: 4 },
  cursor: { fill: "var(--color-panel-2)", opacity: 0.6 },
  // The bucket's start: the x value is its epoch ms.
  labelFormatter: (t: unknown) => formatDateTime(Number(t)),
};
/** The same plot margins and y-axis width on every chart, so their x axes line up; the right margin leaves room for a last tick like "8:00 PM". */
const chartMargin = { top: 4, right: 20, bottom: 0, left: 0 };
const Y_WIDTH = 48;

function Card({
  title,
  children,
  className,
  action,
  testId,
}: {
  title: string;
  children: React.ReactNode;
  className?: string;
  action?: React.ReactNode;
  testId?: string;
}) {
  return (
    <section className={cn("flex min-w-0 flex-col rounded-xl border border-border bg-panel p-4 shadow-sm", className)} data-testid={testId}>
      <div className="mb-3 flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{title}</h3>
        {action}
      </div>
      <div className="min-h-0 flex-1">{children}</div>
    </section>
  );
}

function Kpi({
  label,
  value,
  sub,
  icon: Icon,
  tone,
  testId,
}: {
  label: string;
  value: React.ReactNode;
  sub?: React.ReactNode;
  icon: typeof Activity;
  tone: string;
  testId?: string;
}) {
  return (
    <div className="rounded-xl border border-border bg-panel p-4 shadow-sm" data-testid={testId}>
      <div className="flex items-center gap-2 text-xs font-medium text-muted">
        <span className={cn("flex h-6 w-6 items-center justify-center rounded-md", tone)}>
          <Icon size={14} />
        </span>
        {label}
      </div>
      <div className="mt-2 text-2xl font-semibold tabular-nums tracking-tight" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </div>
      {sub && <div className="mt-0.5 truncate text-xs text-muted">{sub}</div>}
    </div>
  );
}

const Empty = ({ children }: { children: React.ReactNode }) => (
  <div className="flex h-full min-h-24 items-center justify-center text-center text-xs text-muted">{children}</div>
);

export interface OverviewPanelProps {
  range: string;
  onRange: (r: string) => void;
  workflowId?: string;
  /** Hide cross-workflow sections (per-workflow page). */
  compact?: boolean;
}

/** Counts, charts and tables over the selected window; refetched on live changes and every 30 s. */
export function OverviewPanel({ range, onRange, workflowId, compact }: OverviewPanelProps) {
  const overview = useOverview({ rangeMs: rangeMs(range), workflowId });
  const o = overview.data;
  return (
    <div className="space-y-4" data-testid="overview">
      <div className="flex items-center justify-between gap-3">
        <h2 className="flex items-center gap-2 text-sm font-semibold">
          Overview {overview.isFetching && <Loader2 size={13} className="animate-spin text-muted" aria-label="Refreshing" />}
        </h2>
        <div className="flex rounded-lg border border-border bg-panel p-0.5" role="group" aria-label="Overview window">
          {RANGES.map((r) => (
            <button
              key={r.key}
              type="button"
              aria-pressed={range === r.key}
              onClick={() => onRange(r.key)}
              className={cn(
                "rounded-md px-2.5 py-1 text-xs font-medium transition-colors",
                range === r.key ? "bg-accent text-accent-fg" : "text-muted hover:text-fg",
              )}
            >
              {r.key}
            </button>
          ))}
        </div>
      </div>
      {overview.isError && !o && (
        <div role="alert" className="rounded-xl border border-danger/40 bg-danger/5 px-4 py-3 text-sm">
          <span className="font-medium text-danger">Could not load the overview.</span> {overview.error.message}
        </div>
      )}
      {!o && overview.isPending && <div className="h-28 animate-pulse rounded-xl border border-border bg-panel" aria-busy="true" />}
      {o && <OverviewBody o={o} compact={compact} />}
    </div>
  );
}

function OverviewBody({ o, compact }: { o: Overview; compact?: boolean }) {
  const series = o.series.map((p) => ({ ...p, failurePct: p.failureRate == null ? null : Math.round(p.failureRate * 1000) / 10 }));
  const hasFinished = o.totals.finished > 0;
  // Lines need two points; with fewer buckets holding data, show the points themselves.
  const sparse = series.filter((p) => p.p50Ms != null).length < 4;
  const dot = sparse ? { r: 3 } : false;
  // Cost when models report it; tokens otherwise (the offline model is free).
  const byCost = o.byWorkflow.some((u) => u.costUsd > 0);
  const metric = (u: Overview["byWorkflow"][number]) => (byCost ? u.costUsd : u.tokensInput + u.tokensOutput);
  const usage = o.byWorkflow
    .filter((u) => metric(u) > 0 || u.runs > 0)
    .slice(0, 6)
    .sort((a, b) => metric(b) - metric(a));
  const maxUsage = Math.max(1e-9, ...usage.map(metric));
  const bucketLabel = formatDuration(o.bucketMs).replace(" 00 s", "").replace(" 00 min", "");
  // One set of ticks for the three charts: the same round times, labelled the same way.
  const { ticks, labels } = chartTicks(Date.parse(o.from), o.bucketMs, series.length);
  const xAxis = { dataKey: "t", ticks, interval: 0 as const, tickFormatter: (t: number) => labels.get(t) ?? "", tick: axis, tickLine: false, axisLine: false };
  return (
    <>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Kpi
          label="Running now"
          icon={Activity}
          tone="bg-accent/10 text-accent"
          value={o.counts.running}
          sub={`${o.counts.queued} queued`}
          testId="kpi-running"
        />
        <Kpi
          label="Waiting approval"
          icon={Hand}
          tone="bg-warning/10 text-warning"
          value={o.counts.waiting}
          sub={
            o.counts.waiting ? (
              <Link href="/approvals" className="hover:underline">
                Open the inbox →
              </Link>
            ) : (
              "Nothing to approve"
            )
          }
          testId="kpi-waiting"
        />
        <Kpi
          label="Succeeded"
          icon={Gauge}
          tone="bg-success/10 text-success"
          value={formatCount(o.counts.succeeded)}
          sub={`${formatCount(o.totals.runs)} run${o.totals.runs === 1 ? "" : "s"} started in window`}
          testId="kpi-succeeded"
        />
        <Kpi
          label="Failed"
          icon={AlertTriangle}
          tone="bg-danger/10 text-danger"
          value={formatCount(o.counts.failed)}
          sub={`failure rate ${formatPercent(o.totals.failureRate)}`}
          testId="kpi-failed"
        />
        <Kpi
          label="Latency p50 / p95"
          icon={Timer}
          tone="bg-panel-2 text-fg"
          value={
            <span className="text-xl">
              {formatDuration(o.totals.p50Ms)} <span className="text-muted">/</span> {formatDuration(o.totals.p95Ms)}
            </span>
          }
          sub="of finished runs"
          testId="kpi-latency"
        />
        <Kpi
          label="Cost"
          icon={CircleDollarSign}
          tone="bg-panel-2 text-fg"
          value={formatCost(o.totals.costUsd)}
          sub={`${formatCount(o.totals.tokensInput + o.totals.tokensOutput)} tokens`}
          testId="kpi-cost"
        />
      </div>

      <div className="grid gap-3 lg:grid-cols-3">
        <Card
          title="Throughput"
          action={<span className="text-xs text-muted">runs per {bucketLabel}</span>}
          className="lg:col-span-1"
          testId="chart-throughput"
        >
          <div className="h-44">
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart data={series} margin={chartMargin}>
                <CartesianGrid vertical={false} stroke="var(--color-border)" strokeDasharray="3 3" />
                <XAxis {...xAxis} />
                <YAxis tick={axis} tickLine={false} axisLine={false} allowDecimals={false} width={Y_WIDTH} />
                <Tooltip {...tooltipStyle} />
                <Bar dataKey="succeeded" name="Succeeded" stackId="s" fill={STATUS_COLOR.succeeded} isAnimationActive={false} />
                <Bar dataKey="failed" name="Failed" stackId="s" fill={STATUS_COLOR.failed} isAnimationActive={false} />
                <Bar dataKey="cancelled" name="Cancelled" stackId="s" fill={STATUS_COLOR.cancelled} radius={[2, 2, 0, 0]} isAnimationActive={false} />
                <Line dataKey="started" name="Started" type="monotone" stroke="var(--color-accent)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card title="Latency" action={<span className="text-xs text-muted">p50 · p95</span>} testId="chart-latency">
          <div className="h-44">
            {hasFinished ? (
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={series} margin={chartMargin}>
                  <CartesianGrid vertical={false} stroke="var(--color-border)" strokeDasharray="3 3" />
                  <XAxis {...xAxis} />
                  <YAxis tick={axis} tickLine={false} axisLine={false} tickFormatter={axisDuration} width={Y_WIDTH} />
                  <Tooltip {...tooltipStyle} formatter={(v) => formatDuration(Number(v))} />
                  <Line
                    dataKey="p50Ms"
                    name="p50"
                    type="monotone"
                    stroke="var(--color-accent)"
                    strokeWidth={2}
                    dot={dot}
                    connectNulls
                    isAnimationActive={false}
                  />
                  <Line
                    dataKey="p95Ms"
                    name="p95"
                    type="monotone"
                    stroke="var(--color-warning)"
                    strokeWidth={2}
                    strokeDasharray="4 3"
                    dot={dot}
                    connectNulls
                    isAnimationActive={false}
                  />
                </LineChart>
              </ResponsiveContainer>
            ) : (
              <Empty>No finished runs in this window.</Empty>
            )}
          </div>
        </Card>
        <Card
          title="Failure rate"
          action={<span className="text-xs text-muted">{formatPercent(o.totals.failureRate)} overall</span>}
          testId="chart-failure-rate"
        >
          <div className="h-44">
            {hasFinished ? (
              <ResponsiveContainer width="100%" height="100%">
                <AreaChart data={series} margin={chartMargin}>
                  <defs>
                    <linearGradient id="failFill" x1="0" y1="0" x2="0" y2="1">
                      <stop offset="0%" stopColor="var(--color-danger)" stopOpacity={0.35} />
                      <stop offset="100%" stopColor="var(--color-danger)" stopOpacity={0.02} />
                    </linearGradient>
                  </defs>
                  <CartesianGrid vertical={false} stroke="var(--color-border)" strokeDasharray="3 3" />
                  <XAxis {...xAxis} />
                  <YAxis tick={axis} tickLine={false} axisLine={false} unit="%" width={Y_WIDTH} domain={[0, (max: number) => Math.max(10, Math.ceil(max))]} />
                  <Tooltip {...tooltipStyle} formatter={(v) => `${String(v ?? "")}%`} />
                  <Area
                    dataKey="failurePct"
                    name="Failure rate"
                    type="monotone"
                    stroke="var(--color-danger)"
                    fill="url(#failFill)"
                    strokeWidth={1.5}
                    dot={sparse ? { r: 3, fill: "var(--color-danger)" } : false}
                    connectNulls
                    isAnimationActive={false}
                  />
                </AreaChart>
              </ResponsiveContainer>
            ) : (
              <Empty>No finished runs in this window.</Empty>
            )}
          </div>
        </Card>
      </div>

      <div className={cn("grid gap-3", compact ? "lg:grid-cols-3" : "lg:grid-cols-2 xl:grid-cols-4")}>
        <Card title="Nodes that fail most" testId="failing-nodes">
          {o.failingNodes.length ? (
            <ul className="space-y-2 text-sm">
              {o.failingNodes.slice(0, 6).map((f) => {
                const max = o.failingNodes[0].failures;
                return (
                  <li key={`${f.workflowId}/${f.nodeId}`} data-testid="failing-node">
                    <div className="flex items-baseline justify-between gap-2">
                      <span className="min-w-0 truncate">
                        <span className="font-mono text-xs font-medium">{f.nodeId}</span>
                        {!compact && (
                          <Link href={`/workflows/${encodeURIComponent(f.workflowId)}/runs`} className="ml-1.5 text-xs text-muted hover:underline">
                            {f.workflowName}
                          </Link>
                        )}
                      </span>
                      <span className="shrink-0 text-xs tabular-nums text-muted">{f.failures}×</span>
                    </div>
                    <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-panel-2">
                      <div className="h-full rounded-full bg-danger/70" style={{ width: `${Math.max(4, (f.failures / max) * 100)}%` }} />
                    </div>
                    <div className="mt-0.5 truncate font-mono text-[10px] text-muted">
                      {f.lastErrorCode} · {f.runs} run{f.runs === 1 ? "" : "s"}
                      {f.handled ? ` · ${f.handled} handled` : ""}
                    </div>
                  </li>
                );
              })}
            </ul>
          ) : (
            <Empty>No node failed in this window.</Empty>
          )}
        </Card>
        {!compact && (
          <Card title={byCost ? "Cost by workflow" : "Tokens by workflow"} testId="cost-by-workflow">
            {usage.length ? (
              <ul className="space-y-2.5 text-sm">
                {usage.map((u) => (
                  <li key={u.key}>
                    <div className="flex items-baseline justify-between gap-2">
                      <Link href={`/workflows/${encodeURIComponent(u.key)}/runs`} className="min-w-0 truncate hover:text-accent" title={u.label}>
                        {u.label}
                      </Link>
                      <span className="shrink-0 text-xs tabular-nums text-muted">
                        {byCost ? formatCost(u.costUsd) : `${formatCount(u.tokensInput + u.tokensOutput)} tok`} · {u.runs} run{u.runs === 1 ? "" : "s"}
                      </span>
                    </div>
                    <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-panel-2">
                      <div className="h-full rounded-full bg-accent/80" style={{ width: `${Math.max(3, (metric(u) / maxUsage) * 100)}%` }} />
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>No runs in this window.</Empty>
            )}
          </Card>
        )}
        <Card title="Tokens by model" testId="usage-by-model">
          {o.byModel.length ? (
            <table className="w-full text-sm">
              <thead>
                <tr className="text-left text-xs text-muted">
                  <th className="pb-1.5 font-medium">Model</th>
                  <th className="pb-1.5 text-right font-medium">Tokens</th>
                  <th className="pb-1.5 text-right font-medium">Cost</th>
                </tr>
              </thead>
              <tbody>
                {o.byModel.slice(0, 6).map((m) => (
                  <tr key={m.key} className="border-t border-border">
                    <td className="max-w-[140px] truncate py-1.5 text-xs" title={m.key}>
                      {modelLabel(m.key)}
                    </td>
                    <td className="py-1.5 text-right tabular-nums">{formatCount(m.tokensInput + m.tokensOutput)}</td>
                    <td className="py-1.5 text-right tabular-nums text-muted">{formatCost(m.costUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>No model calls in this window.</Empty>
          )}
        </Card>
        <Card
          title="Approvals waiting"
          action={
            o.approvals.total ? (
              <Link href="/approvals" className="text-xs text-accent hover:underline">
                Inbox
              </Link>
            ) : null
          }
          testId="approvals-waiting"
        >
          {o.approvals.runs.length ? (
            <ul className="space-y-2 text-sm">
              {o.approvals.runs.slice(0, 5).map((a) => (
                <li key={a.runId} className="flex items-start gap-2">
                  <Hand size={14} className="mt-0.5 shrink-0 text-warning" />
                  <span className="min-w-0">
                    <Link href={`/runs/${encodeURIComponent(a.runId)}`} className="block truncate font-medium hover:text-accent">
                      {a.workflowName}
                    </Link>
                    <span className="block truncate text-xs text-muted">
                      {a.nodes.map((n) => n.nodeId).join(", ") || "approval"} · asked {formatRelativeTime(a.since)}
                    </span>
                  </span>
                </li>
              ))}
              {o.approvals.total > o.approvals.runs.length && <li className="text-xs text-muted">and {o.approvals.total - o.approvals.runs.length} more</li>}
            </ul>
          ) : (
            <Empty>No run waits for a human.</Empty>
          )}
        </Card>
        <EscalationsCard escalations={o.escalations} compact={compact} />
      </div>
    </>
  );
}
