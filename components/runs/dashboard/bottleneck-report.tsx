"use client";

import { Lightbulb, Loader2 } from "lucide-react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useWorkflowTopology, type WorkflowTopology } from "@/lib/api/dashboard";
import { cn } from "@/components/ui/cn";
import { formatDateTime } from "@/components/ui/format-time";
import { formatDuration } from "./format";

const WINDOW_RUNS = 50;
const LINE_COLORS = ["var(--color-danger)", "var(--color-warning)", "var(--color-accent)"];
const axis = { fontSize: 11, fill: "var(--color-muted)" };

function scoreTone(score: number) {
  return score >= 0.6 ? "bg-danger" : score >= 0.35 ? "bg-warning" : "bg-accent";
}

/**
 * The workflow's bottleneck report (lib/topology over the stats of its latest 50 finished runs), and
 * the scores of today's top bottlenecks over the three windows of 50 runs before (report over time).
 */
export function BottleneckReport({ workflowId }: { workflowId: string }) {
  const now = useWorkflowTopology(workflowId, WINDOW_RUNS);
  const w1 = useWorkflowTopology(
    workflowId,
    WINDOW_RUNS,
    now.data?.observed.from ?? undefined,
    !!now.data?.observed.from && now.data.observed.runs >= WINDOW_RUNS,
  );
  const w2 = useWorkflowTopology(
    workflowId,
    WINDOW_RUNS,
    w1.data?.observed.from ?? undefined,
    !!w1.data?.observed.from && w1.data.observed.runs >= WINDOW_RUNS,
  );
  const report = now.data;
  if (now.isPending) return <div className="h-40 animate-pulse rounded-xl border border-border bg-panel" aria-busy="true" />;
  if (now.isError)
    return (
      <div role="alert" className="rounded-xl border border-danger/40 bg-danger/5 px-4 py-3 text-sm">
        Could not analyse the topology: {now.error.message}
      </div>
    );
  if (!report) return null;
  const top = report.bottlenecks.slice(0, 5);
  const windows = [w2.data, w1.data, report].filter((x): x is WorkflowTopology => !!x && x.observed.runs > 0);
  const trend = windows.map((w, i) => {
    const row: Record<string, string | number> = { label: i === windows.length - 1 ? "Latest" : `until ${formatDateTime(w.observed.to)}` };
    for (const b of top.slice(0, 3)) {
      const n = w.nodes.find((x) => x.id === b.id);
      const e = w.edges.find((x) => x.id === b.id);
      row[b.label] = Math.round((n?.score ?? e?.score ?? 0) * 100);
    }
    return row;
  });
  return (
    <div className="grid gap-3 lg:grid-cols-5" data-testid="bottleneck-report">
      <section className="rounded-xl border border-border bg-panel p-4 shadow-sm lg:col-span-3">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h3 className="text-sm font-semibold">Bottlenecks</h3>
          <span className="text-xs text-muted">
            {report.observed.runs
              ? `observed over the last ${report.observed.runs} finished run${report.observed.runs === 1 ? "" : "s"} of v${report.observed.version}`
              : `no finished runs yet: structure and per-kind estimates of v${report.observed.version}`}
          </span>
        </div>
        {top.length ? (
          <ol className="space-y-3">
            {top.map((b) => {
              const node = report.nodes.find((n) => n.id === b.id);
              const obs = node?.metrics.observed;
              return (
                <li key={`${b.type}:${b.id}`} className="rounded-lg border border-border p-3" data-testid="bottleneck">
                  <div className="flex items-center gap-3">
                    <span className="flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-panel-2 text-xs font-semibold">{b.rank}</span>
                    <div className="min-w-0 flex-1">
                      <div className="flex items-baseline justify-between gap-2">
                        <span className="truncate font-medium">
                          {b.label} <span className="font-mono text-xs font-normal text-muted">{b.type === "edge" ? "edge" : node?.kind}</span>
                        </span>
                        <span className="shrink-0 text-xs tabular-nums text-muted">score {Math.round(b.score * 100)}</span>
                      </div>
                      <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-panel-2">
                        <div className={cn("h-full rounded-full", scoreTone(b.score))} style={{ width: `${Math.max(3, b.score * 100)}%` }} />
                      </div>
                    </div>
                  </div>
                  <p className="mt-2 text-sm">{b.headline}</p>
                  {obs && (
                    <p className="mt-1 text-xs text-muted">
                      p50 {formatDuration(obs.p50Ms)} · p95 {formatDuration(obs.p95Ms)} · failure {Math.round(obs.failureRate * 100)}% ·{" "}
                      {obs.retriesPerExecution.toFixed(2)} retries/execution
                    </p>
                  )}
                  {b.suggestions[0] && (
                    <p className="mt-2 flex items-start gap-1.5 text-xs text-fg/80">
                      <Lightbulb size={13} className="mt-0.5 shrink-0 text-warning" /> {b.suggestions[0].text}
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        ) : (
          <p className="py-6 text-center text-sm text-muted">No bottleneck stands out.</p>
        )}
      </section>
      <section className="flex flex-col rounded-xl border border-border bg-panel p-4 shadow-sm lg:col-span-2" data-testid="bottleneck-trend">
        <div className="mb-3 flex items-baseline justify-between gap-2">
          <h3 className="text-sm font-semibold">Over time</h3>
          <span className="text-xs text-muted">
            score per window of {WINDOW_RUNS} runs {(w1.isFetching || w2.isFetching) && <Loader2 size={11} className="inline animate-spin" />}
          </span>
        </div>
        {trend.length > 1 && top.length ? (
          <div className="h-56">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={trend} margin={{ top: 4, right: 8, bottom: 0, left: -20 }}>
                <CartesianGrid vertical={false} stroke="var(--color-border)" strokeDasharray="3 3" />
                <XAxis dataKey="label" tick={axis} tickLine={false} axisLine={false} />
                <YAxis tick={axis} tickLine={false} axisLine={false} domain={[0, 100]} />
                <Tooltip contentStyle={{ background: "var(--color-panel)", border: "1px solid var(--color-border)", borderRadius: 8, fontSize: 12 }} />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                {top.slice(0, 3).map((b, i) => (
                  <Line key={b.id} dataKey={b.label} stroke={LINE_COLORS[i]} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
        ) : (
          <div className="flex flex-1 items-center justify-center py-8 text-center text-xs text-muted">
            The trend appears once the workflow has more than {WINDOW_RUNS} finished runs.
            <br />
            Bottleneck scores are compared window by window.
          </div>
        )}
        <p className="mt-3 text-xs text-muted">
          Graph: {report.summary.flowNodeCount} nodes · depth {report.summary.depth} · {report.summary.loopCount} loop
          {report.summary.loopCount === 1 ? "" : "s"} · {report.summary.articulationPointCount} single points of failure
        </p>
      </section>
    </div>
  );
}
